// core/v1 Container and what it holds: ports, environment, resources, probes, lifecycle
// hooks, security context, volume mounts. knet runs host programs as containers, but the
// schema is the full upstream shape so that real manifests pass strict decoding.

import type { FieldDef, TypeDef } from './dsl.ts';
import { f, t } from './dsl.ts';

const byName = { list: 'map', keys: ['name'], patch: 'merge', mergeKey: 'name' } as const;

/** Shared by Container and EphemeralContainer (upstream keeps the two in step). */
export const containerFields: Record<string, FieldDef> = {
  name: f('string', 'Name of the container, a DNS label unique within the pod.', { req: true }),
  image: f('string', 'Image reference; in knet it picks the built-in program to run.'),
  command: f('[]string', 'Entrypoint, replacing the image default; $(VAR) is expanded.', { list: 'atomic' }),
  args: f('[]string', 'Arguments to the entrypoint; $(VAR) is expanded.', { list: 'atomic' }),
  workingDir: f('string', 'Working directory of the process.'),
  ports: f('[]core.v1.ContainerPort', 'Ports the container exposes (informational, and named target ports).', {
    list: 'map', keys: ['containerPort', 'protocol'], patch: 'merge', mergeKey: 'containerPort',
  }),
  envFrom: f('[]core.v1.EnvFromSource', 'Sources whose keys all become environment variables.', { list: 'atomic' }),
  env: f('[]core.v1.EnvVar', 'Environment variables to set.', byName),
  resources: f('core.v1.ResourceRequirements', 'Compute resources requested and limited.'),
  resizePolicy: f('[]core.v1.ContainerResizePolicy', 'How each resource is resized in place.', { list: 'atomic' }),
  restartPolicy: f('string', 'Always makes an init container a sidecar.'),
  volumeMounts: f('[]core.v1.VolumeMount', 'Pod volumes to mount into the filesystem.', {
    list: 'map', keys: ['mountPath'], patch: 'merge', mergeKey: 'mountPath',
  }),
  volumeDevices: f('[]core.v1.VolumeDevice', 'Block devices to expose.', {
    list: 'map', keys: ['devicePath'], patch: 'merge', mergeKey: 'devicePath',
  }),
  livenessProbe: f('core.v1.Probe', 'Restarts the container when it fails.'),
  readinessProbe: f('core.v1.Probe', 'Removes the pod from Service endpoints when it fails.'),
  startupProbe: f('core.v1.Probe', 'Holds the other probes back until it succeeds once.'),
  lifecycle: f('core.v1.Lifecycle', 'Hooks run after start and before stop.'),
  terminationMessagePath: f('string', 'File whose content becomes the termination message.'),
  terminationMessagePolicy: f('string', 'File or FallbackToLogsOnError.'),
  imagePullPolicy: f('string', 'Always, Never or IfNotPresent.', { enum: ['Always', 'IfNotPresent', 'Never'] }),
  securityContext: f('core.v1.SecurityContext', 'Security options of the container process.'),
  stdin: f('boolean', 'Keep a stdin buffer open for attach.'),
  stdinOnce: f('boolean', 'Close stdin after the first attach ends.'),
  tty: f('boolean', 'Allocate a TTY (needs stdin).'),
};

const probeHandler: Record<string, FieldDef> = {
  exec: f('core.v1.ExecAction', 'Run a command in the container; exit status 0 is success.'),
  httpGet: f('core.v1.HTTPGetAction', 'HTTP GET; a status from 200 to 399 is success.'),
  tcpSocket: f('core.v1.TCPSocketAction', 'TCP connect; an open connection is success.'),
};

const selectorRef = (what: string): Record<string, FieldDef> => ({
  name: f('string', `Name of the ${what} in the pod's namespace.`),
  key: f('string', 'The key to select.', { req: true }),
  optional: f('boolean', `Whether the ${what} or its key may be missing.`),
});

export const containerTypes: TypeDef[] = [
  t('core.v1.Container', 'A process that runs in a pod.', containerFields),
  t('core.v1.EphemeralContainer', 'A debugging container added to a running pod.', {
    ...containerFields,
    targetContainerName: f('string', 'Container whose namespaces this one joins.'),
  }),
  t('core.v1.ContainerPort', 'One network port of a container.', {
    name: f('string', 'IANA service name that Services can target by name.'),
    hostPort: f('int32', 'Port to expose on the node.'),
    containerPort: f('int32', 'Port number on the pod IP.', { req: true }),
    protocol: f('string', 'TCP, UDP or SCTP; defaults to TCP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
    hostIP: f('string', 'Node IP to bind the host port to.'),
  }),
  t('core.v1.EnvVar', 'One environment variable.', {
    name: f('string', 'Variable name.', { req: true }),
    value: f('string', 'Literal value; $(VAR) is expanded.'),
    valueFrom: f('core.v1.EnvVarSource', 'Where to read the value from instead of value.'),
  }),
  t('core.v1.EnvVarSource', 'Source of an environment variable value.', {
    fieldRef: f('core.v1.ObjectFieldSelector', 'A field of the pod (metadata.name, status.podIP...).'),
    resourceFieldRef: f('core.v1.ResourceFieldSelector', 'A resource limit or request of a container.'),
    configMapKeyRef: f('core.v1.ConfigMapKeySelector', 'A key of a ConfigMap.'),
    secretKeyRef: f('core.v1.SecretKeySelector', 'A key of a Secret.'),
  }),
  t('core.v1.ObjectFieldSelector', 'Selects a field of the pod.', {
    apiVersion: f('string', 'Version the field path is written in; defaults to v1.'),
    fieldPath: f('string', 'Path of the field to select.', { req: true }),
  }, { atomic: true }),
  t('core.v1.ResourceFieldSelector', 'Selects a resource of a container.', {
    containerName: f('string', 'Container name; required for volumes.'),
    resource: f('string', 'Resource to select, e.g. limits.cpu.', { req: true }),
    divisor: f('quantity', 'Unit the value is expressed in; defaults to 1.'),
  }, { atomic: true }),
  t('core.v1.ConfigMapKeySelector', 'Selects a key of a ConfigMap.', selectorRef('ConfigMap'), { atomic: true }),
  t('core.v1.SecretKeySelector', 'Selects a key of a Secret.', selectorRef('Secret'), { atomic: true }),
  t('core.v1.EnvFromSource', 'A ConfigMap or Secret whose keys become variables.', {
    prefix: f('string', 'Prefix prepended to every key.'),
    configMapRef: f('core.v1.ConfigMapEnvSource', 'The ConfigMap to read.'),
    secretRef: f('core.v1.SecretEnvSource', 'The Secret to read.'),
  }),
  t('core.v1.ConfigMapEnvSource', 'A ConfigMap for envFrom.', {
    name: f('string', 'Name of the ConfigMap.'),
    optional: f('boolean', 'Whether the ConfigMap may be missing.'),
  }),
  t('core.v1.SecretEnvSource', 'A Secret for envFrom.', {
    name: f('string', 'Name of the Secret.'),
    optional: f('boolean', 'Whether the Secret may be missing.'),
  }),
  t('core.v1.ResourceRequirements', 'Compute resources of a container or pod.', {
    limits: f('{}quantity', 'Most of each resource the container may use.'),
    requests: f('{}quantity', 'Least of each resource the container needs; scheduling uses it.'),
    claims: f('[]core.v1.ResourceClaim', 'Dynamic resource claims of the pod this container uses.', { list: 'map', keys: ['name'] }),
  }),
  t('core.v1.ResourceClaim', 'Reference to one resource claim of the pod.', {
    name: f('string', 'Name of an entry in pod.spec.resourceClaims.', { req: true }),
    request: f('string', 'Request inside the claim to use.'),
  }),
  t('core.v1.ContainerResizePolicy', 'Resize policy for one resource.', {
    resourceName: f('string', 'cpu or memory.', { req: true }),
    restartPolicy: f('string', 'NotRequired or RestartContainer.', { req: true }),
  }),
  t('core.v1.VolumeMount', 'Mounts a pod volume into a container.', {
    name: f('string', 'Name of the pod volume.', { req: true }),
    readOnly: f('boolean', 'Mount read-only.'),
    recursiveReadOnly: f('string', 'Disabled, IfPossible or Enabled.'),
    mountPath: f('string', 'Path inside the container.', { req: true }),
    subPath: f('string', 'Path inside the volume to mount instead of its root.'),
    mountPropagation: f('string', 'None, HostToContainer or Bidirectional.'),
    subPathExpr: f('string', 'Like subPath, with $(VAR) expanded from the environment.'),
  }),
  t('core.v1.VolumeDevice', 'Maps a raw block volume into a container.', {
    name: f('string', 'Name of a persistentVolumeClaim in the pod.', { req: true }),
    devicePath: f('string', 'Device path inside the container.', { req: true }),
  }),
  t('core.v1.Probe', 'A health check the node agent runs against a container.', {
    ...probeHandler,
    grpc: f('core.v1.GRPCAction', 'gRPC health check; SERVING is success.'),
    initialDelaySeconds: f('int32', 'Seconds after start before the first probe.'),
    timeoutSeconds: f('int32', 'Seconds before a probe times out; defaults to 1.'),
    periodSeconds: f('int32', 'Seconds between probes; defaults to 10.'),
    successThreshold: f('int32', 'Consecutive successes to count as healthy after a failure.'),
    failureThreshold: f('int32', 'Consecutive failures to count as failed; defaults to 3.'),
    terminationGracePeriodSeconds: f('int64', 'Grace period used when a liveness failure kills the container.'),
  }),
  t('core.v1.ExecAction', 'A command run inside the container.', {
    command: f('[]string', 'Command and arguments, run without a shell.', { list: 'atomic' }),
  }),
  t('core.v1.HTTPGetAction', 'An HTTP GET request.', {
    path: f('string', 'Request path.'),
    port: f('intOrString', 'Port number or name on the container.', { req: true }),
    host: f('string', 'Host to connect to; defaults to the pod IP.'),
    scheme: f('string', 'HTTP or HTTPS.', { enum: ['HTTP', 'HTTPS'] }),
    httpHeaders: f('[]core.v1.HTTPHeader', 'Extra request headers.', { list: 'atomic' }),
  }),
  t('core.v1.HTTPHeader', 'One HTTP header.', {
    name: f('string', 'Header name.', { req: true }),
    value: f('string', 'Header value.', { req: true }),
  }),
  t('core.v1.TCPSocketAction', 'A TCP connection attempt.', {
    port: f('intOrString', 'Port number or name on the container.', { req: true }),
    host: f('string', 'Host to connect to; defaults to the pod IP.'),
  }),
  t('core.v1.GRPCAction', 'A gRPC health check call.', {
    port: f('int32', 'Port of the gRPC service.', { req: true }),
    service: f('string', 'Service name sent in the HealthCheckRequest.'),
  }),
  t('core.v1.Lifecycle', 'Actions run at container start and stop.', {
    postStart: f('core.v1.LifecycleHandler', 'Runs right after the container is created.'),
    preStop: f('core.v1.LifecycleHandler', 'Runs before the container is stopped.'),
    stopSignal: f('string', 'Signal sent to stop the container.'),
  }),
  t('core.v1.LifecycleHandler', 'One lifecycle hook action.', {
    ...probeHandler,
    sleep: f('core.v1.SleepAction', 'Wait for some seconds.'),
  }),
  t('core.v1.SleepAction', 'A pause.', {
    seconds: f('int64', 'Seconds to sleep.', { req: true }),
  }),
  t('core.v1.SecurityContext', 'Security options of one container.', {
    capabilities: f('core.v1.Capabilities', 'Capabilities to add and drop.'),
    privileged: f('boolean', 'Run as privileged.'),
    seLinuxOptions: f('core.v1.SELinuxOptions', 'SELinux context.'),
    windowsOptions: f('free', 'Windows-specific options.'),
    runAsUser: f('int64', 'UID the process runs as.'),
    runAsGroup: f('int64', 'GID the process runs as.'),
    runAsNonRoot: f('boolean', 'Refuse to start as UID 0.'),
    readOnlyRootFilesystem: f('boolean', 'Mount the root filesystem read-only.'),
    allowPrivilegeEscalation: f('boolean', 'Whether a process may gain more privileges than its parent.'),
    procMount: f('string', 'Default or Unmasked.'),
    seccompProfile: f('core.v1.SeccompProfile', 'Seccomp profile.'),
    appArmorProfile: f('core.v1.AppArmorProfile', 'AppArmor profile.'),
  }),
  t('core.v1.Capabilities', 'POSIX capabilities.', {
    add: f('[]string', 'Capabilities to add.', { list: 'atomic' }),
    drop: f('[]string', 'Capabilities to drop.', { list: 'atomic' }),
  }),
  t('core.v1.SELinuxOptions', 'SELinux labels.', {
    user: f('string', 'SELinux user.'),
    role: f('string', 'SELinux role.'),
    type: f('string', 'SELinux type.'),
    level: f('string', 'SELinux level.'),
  }),
  t('core.v1.SeccompProfile', 'A seccomp profile.', {
    type: f('string', 'RuntimeDefault, Unconfined or Localhost.', { req: true }),
    localhostProfile: f('string', 'Profile file on the node, for Localhost.'),
  }),
  t('core.v1.AppArmorProfile', 'An AppArmor profile.', {
    type: f('string', 'RuntimeDefault, Unconfined or Localhost.', { req: true }),
    localhostProfile: f('string', 'Profile loaded on the node, for Localhost.'),
  }),
];
