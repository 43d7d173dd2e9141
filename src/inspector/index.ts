/**
 * `remora/inspector`: a live picture of main's sessions, actors and traffic in a browser page,
 * served on loopback by a dedicated broker over the WebSocket transport. See `docs/inspector.md`.
 *
 * @example
 * ```ts
 * import { createBroker } from 'remora/main';
 * import { serveInspector } from 'remora/inspector';
 *
 * const broker = createBroker();
 * const inspector = await serveInspector(broker);
 * console.log(`inspect at ${inspector.url}`); // token in the fragment; loopback only
 * ```
 * @packageDocumentation
 */
export { serveInspector, type InspectorOptions, type InspectorServer } from './serve.js';
export { brokerSource, type ActorView, type GroupView, type InspectionEvent, type InspectionSource, type SessionView } from './source.js';
export { Collector, defaultCollectorOptions, type CollectorOptions, type Cursor } from './collector.js';
export type {
  ActorRow, DeadLetterRow, GroupRow, InspectorApi, InspectorSnapshot, MethodRow, SeriesPoint, SessionRow, TableCounts, TimelineEvent, TotalsRow,
} from './snapshot.js';
