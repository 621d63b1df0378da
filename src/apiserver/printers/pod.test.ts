import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podPrinter, summarizePod } from './pod.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const MIN = 60_000;

function pod(over: { spec?: any; status?: any; metadata?: any } = {}): any {
  return {
    metadata: { name: 'web-7d9f8', namespace: 'default', creationTimestamp: ago(3 * 3600_000), ...over.metadata },
    spec: { containers: [{ name: 'app', image: 'nginx' }], nodeName: 'node-1', ...over.spec },
    status: { phase: 'Running', ...over.status },
  };
}
const running = (name: string, extra: any = {}) => ({ name, ready: true, restartCount: 0, state: { running: { startedAt: ago(MIN) } }, ...extra });

test('a running ready pod', () => {
  const p = pod({ status: { phase: 'Running', podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }], containerStatuses: [running('app')] } });
  assert.deepEqual(podPrinter.cells(p, NOW), ['web-7d9f8', '1/1', 'Running', '0', '3h', '10.244.0.5', 'node-1', '<none>', '<none>']);
});

test('pending, unscheduled pod shows Pending and <none> IP and node', () => {
  const p = pod({ spec: { nodeName: undefined }, status: { phase: 'Pending' } });
  const c = podPrinter.cells(p, NOW);
  assert.deepEqual(c.slice(1, 4), ['0/1', 'Pending', '0']);
  assert.deepEqual(c.slice(5), ['<none>', '<none>', '<none>', '<none>']);
});

test('waiting reasons win: ContainerCreating and CrashLoopBackOff', () => {
  const creating = pod({ status: { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] } });
  assert.equal(summarizePod(creating, NOW).status, 'ContainerCreating');
  const crashing = pod({ status: { containerStatuses: [{
    name: 'app', ready: false, restartCount: 5,
    state: { waiting: { reason: 'CrashLoopBackOff' } },
    lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * MIN) } },
  }] } });
  assert.deepEqual(summarizePod(crashing, NOW), { ready: '0/1', status: 'CrashLoopBackOff', restarts: '5 (5m ago)' });
});

test('the latest finishedAt across containers gives the restart age', () => {
  const p = pod({ spec: { containers: [{ name: 'a' }, { name: 'b' }] }, status: { containerStatuses: [
    running('a', { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(3 * 3600_000) } } }),
    running('b', { restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago(90_000) } } }),
  ] } });
  assert.deepEqual(summarizePod(p, NOW), { ready: '2/2', status: 'Running', restarts: '3 (90s ago)' });
});

test('terminated containers: Completed, Error, ExitCode and Signal', () => {
  const done = pod({ status: { phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } });
  assert.equal(summarizePod(done, NOW).status, 'Completed');
  assert.deepEqual(podPrinter.conditions!(done), [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  const failed = pod({ status: { phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 1, reason: 'Error' } } }] } });
  assert.equal(summarizePod(failed, NOW).status, 'Error');
  assert.equal(podPrinter.conditions!(failed)![0] && (podPrinter.conditions!(failed)![0] as any).reason, 'Failed');
  const code = pod({ status: { containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 3 } } }] } });
  assert.equal(summarizePod(code, NOW).status, 'ExitCode:3');
  const sig = pod({ status: { containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 137, signal: 9 } } }] } });
  assert.equal(summarizePod(sig, NOW).status, 'Signal:9');
  assert.equal(podPrinter.conditions!(pod()), undefined);
});

test('the first container has the last word on the reason', () => {
  const p = pod({ spec: { containers: [{ name: 'a' }, { name: 'b' }] }, status: { containerStatuses: [
    { name: 'a', ready: false, state: { waiting: { reason: 'ImagePullBackOff' } } },
    { name: 'b', ready: false, state: { waiting: { reason: 'ContainerCreating' } } },
  ] } });
  assert.equal(summarizePod(p, NOW).status, 'ImagePullBackOff');
});

test('Completed with another container still running reads Running or NotReady', () => {
  const statuses = [
    { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    running('b'),
  ];
  const spec = { containers: [{ name: 'a' }, { name: 'b' }] };
  const ready = pod({ spec, status: { containerStatuses: statuses, conditions: [{ type: 'Ready', status: 'True' }] } });
  assert.deepEqual(summarizePod(ready, NOW), { ready: '1/2', status: 'Running', restarts: '0' });
  const notReady = pod({ spec, status: { containerStatuses: statuses, conditions: [{ type: 'Ready', status: 'False' }] } });
  assert.equal(summarizePod(notReady, NOW).status, 'NotReady');
});

test('init containers: Init:x/y, Init:reason, Init:ExitCode', () => {
  const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }] };
  const second = pod({ spec, status: { phase: 'Pending', initContainerStatuses: [
    { name: 'i1', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    { name: 'i2', state: { running: {} } },
  ], containerStatuses: [{ name: 'app', state: { waiting: { reason: 'PodInitializing' } } }] } });
  assert.deepEqual(summarizePod(second, NOW), { ready: '0/1', status: 'Init:1/2', restarts: '0' });

  const backoff = pod({ spec, status: { phase: 'Pending', initContainerStatuses: [
    { name: 'i1', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * MIN) } } },
    { name: 'i2', state: { waiting: { reason: 'PodInitializing' } } },
  ] } });
  assert.deepEqual(summarizePod(backoff, NOW), { ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '4 (2m ago)' });

  const failed = pod({ spec, status: { phase: 'Failed', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 2 } } }] } });
  assert.equal(summarizePod(failed, NOW).status, 'Init:ExitCode:2');
  const waiting = pod({ spec, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { waiting: { reason: 'PodInitializing' } } }] } });
  assert.equal(summarizePod(waiting, NOW).status, 'Init:0/2');
});

test('sidecars (restartable init containers) count in Ready and Restarts', () => {
  const p = pod({
    spec: { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] },
    status: {
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
      initContainerStatuses: [{ name: 'proxy', started: true, ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(10 * MIN) } } }],
      containerStatuses: [running('app')],
    },
  });
  assert.deepEqual(summarizePod(p, NOW), { ready: '2/2', status: 'Running', restarts: '2 (10m ago)' });
});

test('SchedulingGated and Terminating', () => {
  const gated = pod({ spec: { nodeName: undefined }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } });
  assert.equal(summarizePod(gated, NOW).status, 'SchedulingGated');
  const deleting = pod({ metadata: { deletionTimestamp: ago(0) }, status: { containerStatuses: [running('app')] } });
  assert.equal(summarizePod(deleting, NOW).status, 'Terminating');
  const lost = pod({ metadata: { deletionTimestamp: ago(0) }, status: { phase: 'Running', reason: 'NodeLost' } });
  assert.equal(summarizePod(lost, NOW).status, 'Unknown');
  const finished = pod({ metadata: { deletionTimestamp: ago(0) }, status: { phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } });
  assert.equal(summarizePod(finished, NOW).status, 'Completed');
});

test('status.reason (Evicted) replaces the phase', () => {
  const p = pod({ status: { phase: 'Failed', reason: 'Evicted' } });
  assert.equal(summarizePod(p, NOW).status, 'Evicted');
});

test('wide cells: nominated node and readiness gates', () => {
  const p = pod({
    spec: { readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
    status: { nominatedNodeName: 'node-2', podIPs: [{ ip: 'fd00::5' }, { ip: '10.244.0.5' }], conditions: [{ type: 'example.com/lb', status: 'True' }, { type: 'example.com/dns', status: 'False' }] },
  });
  assert.deepEqual(podPrinter.cells(p, NOW).slice(5), ['fd00::5', 'node-1', 'node-2', '1/2']);
});

test('restarts without a recorded finish time print the bare count', () => {
  const p = pod({ status: { containerStatuses: [running('app', { restartCount: 3 })] } });
  assert.equal(summarizePod(p, NOW).restarts, '3');
});
