/**
 * Property tests draw new random inputs on every local run (that is how they find bugs), but CI
 * uses one fixed seed so that a run is reproducible and a failure can be replayed exactly.
 */
import fc from "fast-check";

if (process.env.CI === "true") fc.configureGlobal({ seed: 20261128 });
