/**
 * The frames of the wire protocol, both directions: their types, builders, parsers, limits,
 * messages and version. Each concept has its own file; this is their entry.
 * @packageDocumentation
 */
export * from './frame-types.js';
export { defaultFrameLimits, FrameError, type FrameLimits } from './frame-check.js';
export { parseRendererFrame, isRequest } from './parse-renderer.js';
export { parseMainFrame } from './parse-main.js';
export { unbatch, unbatchMain, parseMainMessage, messageOf, batchFrame, framesOf } from './message.js';
export { toMain, toRenderer, issue, type TargetOf, type SubscribeExtras } from './frame-builders.js';
export { PROTOCOL_VERSION, versionMismatchFrame, isVersionMismatch, byeError } from './version.js';
