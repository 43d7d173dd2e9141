/**
 * The page: React renders main's todos from a replica. Each row is `memo`ized and counts its
 * renders, so the page can show that one toggle re-rendered one row; a badge follows main's
 * window focus through `useRemoteEvent`.
 */
import { memo } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from 'remora/renderer';
import { RemoraProvider, useConnectState, useRemora, useRemote, useRemoteEvent, useReplica } from 'remora/react';
import { connectToMain } from 'remora/transports/websocket-page';
import type { Todo, TodosActor, WindowEvents } from './todos.js';
import type { EventEmitter } from 'node:events';

type Todos = NonNullable<ReturnType<typeof useConnectState<TodosActor>>>;
/** Renders per row id, read by main through the DOM (`data-renders`). */
const renders = new Map<number, number>();

const Row = memo(function Row({ todo, todos }: { todo: Todo; todos: Todos }) {
  const n = (renders.get(todo.id) ?? 0) + 1;
  renders.set(todo.id, n);
  return (
    <li data-id={todo.id} data-renders={n} className={todo.done ? 'done' : ''}>
      <label>
        <input type="checkbox" checked={todo.done} onChange={() => void todos.dispatch('toggle', todo.id)} /> {todo.text}
      </label>
    </li>
  );
});

function Remaining({ todos }: { todos: Todos }) {
  const open = useReplica(todos, (s) => s.items.reduce((k, t) => k + (t.done ? 0 : 1), 0));
  return <p id="remaining">{open} open</p>;
}

function Focus() {
  const win = useRemote((c) => c.getGlobal<EventEmitter<WindowEvents>>('window'));
  const focused = useRemoteEvent(win, 'focus', true);
  return <p id="focus">{focused ? 'window focused' : 'window in the background'}</p>;
}

function List({ todos }: { todos: Todos }) {
  const items = useReplica(todos, (s) => s.items); // the same array until a todo changed
  return <ul id="list">{items.map((t) => <Row key={t.id} todo={t} todos={todos} />)}</ul>;
}

function App() {
  const todos = useConnectState<TodosActor>('todos');
  const session = useRemora().connection.session;
  if (!todos) return <p>connecting…</p>;
  return (
    <main>
      <h1>remora · React todos <small>session {session}</small></h1>
      <Focus />
      <Remaining todos={todos} />
      <List todos={todos} />
    </main>
  );
}

const client = connect(await connectToMain(), { name: 'react-todos' });
createRoot(document.getElementById('root')!).render(
  <RemoraProvider client={client}>
    <App />
  </RemoraProvider>,
);
document.body.dataset.ready = '1';
