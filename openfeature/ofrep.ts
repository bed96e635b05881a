/**
 * Entry `@mboxgen/openfeature/ofrep`: the OpenFeature Remote Evaluation Protocol answered from
 * Target, for any HTTP server (`mboxgen emulate` serves it). No OpenFeature SDK needed.
 */
export { createOfrepService } from "./core/ofrep.js";
export type { OfrepAnswer, OfrepService, OfrepServiceOptions } from "./core/ofrep.js";
export type { PageViewClient } from "./core/page-views.js";
export type { VisitorIdField } from "./core/target-call.js";
