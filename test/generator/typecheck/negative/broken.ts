// Negative control for the type-check test: this file must fail to compile.
import { demoEngineeringFlags } from "../../../../fixtures/example/expected/index.js";

export const wrong: string = demoEngineeringFlags.mbox.length;
