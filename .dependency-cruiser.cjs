/**
 * The layering of remora, checked on every `npm test` (`npm run lint:deps`). The rooms and the
 * rules between them are described in docs/architecture.md: protocol at the bottom, the actor
 * system on it, main on both, actor kinds in actors/, the renderer on protocol and neutral
 * contracts only, transports on the transport contract only, and electron as an edge nothing
 * imports. No import cycles between files or folders; no Node built-ins at run time in code that
 * must also run in a page (type-only imports are fine: they vanish at compile time).
 *
 * Type-only imports count for every rule but the Node one: a type import still ties one room's
 * design to another's (`tsPreCompilationDeps: true`).
 */

/** Any file of remora itself (dependencies on npm packages are not layering). */
const REMORA = '^(src|actors)/';
/**
 * The errors module: its entry `src/errors.ts` and its files in `src/errors/` (code imports the
 * factories as a namespace straight from `src/errors/factories.ts`, so bundles tree-shake them).
 */
const ERRORS = '^src/errors(\\.ts$|/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles between files (type-only imports included).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'protocol-imports-only-errors',
      comment: 'src/protocol is the bottom layer: it imports nothing of remora but src/errors.ts.',
      severity: 'error',
      from: { path: '^src/protocol/' },
      to: { path: REMORA, pathNot: ['^src/protocol/', ERRORS] },
    },
    {
      name: 'actor-system-imports-only-protocol-and-errors',
      comment: 'src/actor (mailbox, supervisor, restart policy, inspection) imports only src/protocol and src/errors.ts.',
      severity: 'error',
      from: { path: '^src/actor/' },
      to: { path: REMORA, pathNot: ['^src/actor/', '^src/protocol/', ERRORS] },
    },
    {
      name: 'main-does-not-import-actor-kinds-renderer-or-electron',
      comment: 'src/main composes the actor kinds it is given; it never imports actors/, src/renderer or src/electron.',
      severity: 'error',
      from: { path: '^src/main/' },
      to: { path: '^(actors/|src/renderer/|src/electron/)' },
    },
    {
      name: 'renderer-imports-no-main-side-code',
      comment: 'A page bundle must never pull main code in: src/renderer imports no src/main, src/actor, actors/ or src/electron.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { path: '^(src/main/|src/actor/|actors/|src/electron/)' },
    },
    {
      name: 'transports-know-only-the-transport-contract',
      comment: 'A transport adapts one runtime to src/transport.ts; besides its own folder it may use only src/protocol and src/errors.ts.',
      severity: 'error',
      from: { path: '^src/transports/' },
      to: { path: REMORA, pathNot: ['^src/transports/', '^src/transport\\.ts$', '^src/protocol/', ERRORS] },
    },
    {
      name: 'errors-import-nothing',
      comment: 'src/errors.ts and its folder own the error codes; every room may import them, so they import nothing else of remora.',
      severity: 'error',
      from: { path: '^src/errors(\\.ts$|/)' },
      to: { path: REMORA, pathNot: '^src/errors(\\.ts$|/)' },
    },
    {
      name: 'transport-contract-stands-alone',
      comment: 'src/transport.ts is the contract every transport implements; it imports nothing of remora.',
      severity: 'error',
      from: { path: '^src/transport\\.ts$' },
      to: { path: REMORA },
    },
    {
      name: 'contracts-import-only-protocol-and-errors',
      comment: 'src/contracts holds what both sides share (e.g. the state actor and its replica); it imports only src/protocol and src/errors.ts.',
      severity: 'error',
      from: { path: '^src/contracts/' },
      to: { path: REMORA, pathNot: ['^src/contracts/', '^src/protocol/', ERRORS] },
    },
    {
      name: 'nothing-imports-electron',
      comment: 'src/electron is an edge: only its own files (its entry points main, preload, renderer and their helpers) import it.',
      severity: 'error',
      from: { pathNot: '^src/electron/' },
      to: { path: '^src/electron/' },
    },
    {
      name: 'electron-renderer-side-imports-no-main-side-code',
      comment: "Electron's renderer entry runs in a page: like src/renderer it imports no main-side code.",
      severity: 'error',
      from: { path: '^src/electron/(renderer|preload)\\.ts$' },
      to: { path: '^(src/main/|src/actor/|actors/)' },
    },
    {
      name: 'no-runtime-node-builtins-in-neutral-code',
      comment: 'src/protocol, src/actor, src/renderer and src/contracts also run in pages: no Node built-in at run time (import type is fine).',
      severity: 'error',
      from: { path: '^src/(protocol|actor|renderer|contracts)/' },
      to: { dependencyTypes: ['core'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(specs|bench|examples|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
