// knet's small kube-scheduler: pure decisions. The loop that watches pods and nodes, posts
// bindings and writes conditions lives with the controller runtime.

export { schedulePod, ERR_NO_NODES } from './schedule.ts';
export type { ScheduleResult } from './schedule.ts';
export {
  bindingFor,
  unschedulableCondition,
  schedulingGatedCondition,
  scheduledEvent,
  failedSchedulingEvent,
  needsScheduling,
  podRef,
  formatTime,
  DEFAULT_SCHEDULER_NAME,
} from './binding.ts';
export type { PlannedEvent, PodCondition, ObjectRef } from './binding.ts';
export { matchesNodeAffinity, ERR_REASON_AFFINITY } from './node-affinity.ts';
export { toleratesTaint, effectiveTaints, ERR_REASON_UNSCHEDULABLE } from './taints.ts';
export type { Taint, Toleration } from './taints.ts';
export { ERR_REASON_PORTS } from './host-ports.ts';
