// core/v1 Pod: PodSpec (volumes, scheduling, DNS, security) and PodStatus. Volume sources
// knet can serve are typed; the cloud and storage-driver sources are free-form.

import type { FieldDef, TypeDef } from './dsl.ts';
import { core, f, kind, t } from './dsl.ts';

const byName = { list: 'map', keys: ['name'], patch: 'merge', mergeKey: 'name' } as const;
const byType = { list: 'map', keys: ['type'], patch: 'merge', mergeKey: 'type' } as const;

/** Storage back ends knet has no use for; accepted as they are. */
const freeVolumeSources = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd',
  'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte',
  'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
];
const volumeSource: Record<string, FieldDef> = {
  hostPath: f('core.v1.HostPathVolumeSource', 'A file or directory of the node.'),
  emptyDir: f('core.v1.EmptyDirVolumeSource', 'A scratch directory that lives as long as the pod.'),
  secret: f('core.v1.SecretVolumeSource', 'The keys of a Secret as files.'),
  persistentVolumeClaim: f('core.v1.PersistentVolumeClaimVolumeSource', 'A PersistentVolumeClaim in the namespace.'),
  downwardAPI: f('core.v1.DownwardAPIVolumeSource', 'Pod fields as files.'),
  configMap: f('core.v1.ConfigMapVolumeSource', 'The keys of a ConfigMap as files.'),
  projected: f('core.v1.ProjectedVolumeSource', 'Several sources merged into one directory.'),
  ...Object.fromEntries(freeVolumeSources.map((n) => [n, f('free', `${n} volume (not interpreted by knet).`)])),
};

const keyItems = f('[]core.v1.KeyToPath', 'Which keys to project and where; all keys when empty.', { list: 'atomic' });
const defaultMode = f('int32', 'File mode bits for created files; defaults to 0644.');

export const podTypes: TypeDef[] = [
  kind('core.v1.Pod', core('Pod'), 'A group of containers that share a network namespace and volumes.', {
    spec: f('core.v1.PodSpec', 'Desired behaviour of the pod.'),
    status: f('core.v1.PodStatus', 'Observed state of the pod, written by the node agent.'),
  }),
  t('core.v1.PodTemplateSpec', 'The pods a controller creates.', {
    metadata: f('meta.v1.ObjectMeta', 'Metadata of the created pods.'),
    spec: f('core.v1.PodSpec', 'Spec of the created pods.'),
  }),
  t('core.v1.PodSpec', 'Desired behaviour of a pod.', {
    volumes: f('[]core.v1.Volume', 'Volumes the containers can mount.', { ...byName, patch: 'merge,retainKeys' }),
    initContainers: f('[]core.v1.Container', 'Containers run to completion, in order, before the others start.', byName),
    containers: f('[]core.v1.Container', 'The containers of the pod; at least one.', { ...byName, req: true }),
    ephemeralContainers: f('[]core.v1.EphemeralContainer', 'Debugging containers added through the ephemeralcontainers subresource.', byName),
    restartPolicy: f('string', 'Always, OnFailure or Never.', { enum: ['Always', 'Never', 'OnFailure'] }),
    terminationGracePeriodSeconds: f('int64', 'Seconds between SIGTERM and SIGKILL on deletion.'),
    activeDeadlineSeconds: f('int64', 'Seconds the pod may run before it is failed.'),
    dnsPolicy: f('string', 'ClusterFirst, ClusterFirstWithHostNet, Default or None.',
      { enum: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] }),
    nodeSelector: f('{}string', 'Node labels the pod must be scheduled onto.', { mapType: 'atomic' }),
    serviceAccountName: f('string', 'ServiceAccount the pod runs as.'),
    serviceAccount: f('string', 'Deprecated alias of serviceAccountName.'),
    automountServiceAccountToken: f('boolean', 'Mount an API token of the service account.'),
    nodeName: f('string', 'Node the pod is bound to.'),
    hostNetwork: f('boolean', "Use the node's network namespace."),
    hostPID: f('boolean', "Use the node's PID namespace."),
    hostIPC: f('boolean', "Use the node's IPC namespace."),
    shareProcessNamespace: f('boolean', 'One PID namespace for all containers of the pod.'),
    securityContext: f('core.v1.PodSecurityContext', 'Security options for all containers.'),
    imagePullSecrets: f('[]core.v1.LocalObjectReference', 'Secrets used to pull images.', byName),
    hostname: f('string', 'Hostname of the pod; defaults to its name.'),
    subdomain: f('string', 'Headless Service that gives the pod a DNS name.'),
    affinity: f('free', 'Node affinity and pod (anti-)affinity scheduling rules.'),
    schedulerName: f('string', 'Scheduler that places the pod.'),
    tolerations: f('[]core.v1.Toleration', 'Taints the pod tolerates.', { list: 'atomic' }),
    hostAliases: f('[]core.v1.HostAlias', 'Extra /etc/hosts entries.', { list: 'map', keys: ['ip'], patch: 'merge', mergeKey: 'ip' }),
    priorityClassName: f('string', 'PriorityClass of the pod.'),
    priority: f('int32', 'Priority value, filled from the PriorityClass.'),
    dnsConfig: f('core.v1.PodDNSConfig', 'Extra resolver settings merged into resolv.conf.'),
    readinessGates: f('[]core.v1.PodReadinessGate', 'Extra conditions that must be True for readiness.', { list: 'atomic' }),
    runtimeClassName: f('string', 'RuntimeClass to run the pod with.'),
    enableServiceLinks: f('boolean', 'Inject Service environment variables (docker links style).'),
    preemptionPolicy: f('string', 'Never or PreemptLowerPriority.'),
    overhead: f('{}quantity', 'Resources the sandbox itself uses.'),
    topologySpreadConstraints: f('[]free', 'How to spread pods across topology domains.', {
      list: 'map', keys: ['topologyKey', 'whenUnsatisfiable'], patch: 'merge', mergeKey: 'topologyKey',
    }),
    setHostnameAsFQDN: f('boolean', 'Set the hostname to the fully qualified domain name.'),
    os: f('core.v1.PodOS', 'Operating system the pod needs.'),
    hostUsers: f('boolean', "Use the node's user namespace."),
    schedulingGates: f('[]core.v1.PodSchedulingGate', 'Gates that hold scheduling back while present.', byName),
    resourceClaims: f('[]free', 'Dynamic resource claims of the pod.', { ...byName, patch: 'merge,retainKeys' }),
    resources: f('core.v1.ResourceRequirements', 'Pod-level resource requests and limits.'),
  }),
  t('core.v1.Volume', 'A named volume of a pod.', {
    name: f('string', 'Volume name, a DNS label unique within the pod.', { req: true }),
    ...volumeSource,
  }),
  t('core.v1.HostPathVolumeSource', 'A path on the node.', {
    path: f('string', 'Path on the node.', { req: true }),
    type: f('string', 'What must exist at the path (Directory, File, DirectoryOrCreate...).'),
  }),
  t('core.v1.EmptyDirVolumeSource', 'An empty directory.', {
    medium: f('string', 'Storage medium: "" (node disk) or Memory.'),
    sizeLimit: f('quantity', 'Most space the directory may use.'),
  }),
  t('core.v1.SecretVolumeSource', 'A Secret as a volume.', {
    secretName: f('string', 'Name of the Secret.'),
    items: keyItems,
    defaultMode,
    optional: f('boolean', 'Whether the Secret may be missing.'),
  }),
  t('core.v1.ConfigMapVolumeSource', 'A ConfigMap as a volume.', {
    name: f('string', 'Name of the ConfigMap.'),
    items: keyItems,
    defaultMode,
    optional: f('boolean', 'Whether the ConfigMap may be missing.'),
  }),
  t('core.v1.PersistentVolumeClaimVolumeSource', 'A claim as a volume.', {
    claimName: f('string', 'Name of the PersistentVolumeClaim.', { req: true }),
    readOnly: f('boolean', 'Mount read-only.'),
  }),
  t('core.v1.KeyToPath', 'Maps a key to a file path.', {
    key: f('string', 'The key.', { req: true }),
    path: f('string', 'Relative file path.', { req: true }),
    mode: f('int32', 'File mode bits.'),
  }),
  t('core.v1.DownwardAPIVolumeSource', 'Pod fields as files.', {
    items: f('[]core.v1.DownwardAPIVolumeFile', 'The files.', { list: 'atomic' }),
    defaultMode,
  }),
  t('core.v1.DownwardAPIVolumeFile', 'One downward API file.', {
    path: f('string', 'Relative file path.', { req: true }),
    fieldRef: f('core.v1.ObjectFieldSelector', 'Pod field to write.'),
    resourceFieldRef: f('core.v1.ResourceFieldSelector', 'Container resource to write.'),
    mode: f('int32', 'File mode bits.'),
  }),
  t('core.v1.ProjectedVolumeSource', 'Several sources in one directory.', {
    sources: f('[]core.v1.VolumeProjection', 'The sources.', { list: 'atomic' }),
    defaultMode,
  }),
  t('core.v1.VolumeProjection', 'One source of a projected volume.', {
    secret: f('core.v1.SecretProjection', 'A Secret.'),
    downwardAPI: f('core.v1.DownwardAPIProjection', 'Pod fields.'),
    configMap: f('core.v1.ConfigMapProjection', 'A ConfigMap.'),
    serviceAccountToken: f('core.v1.ServiceAccountTokenProjection', 'A service account token.'),
    clusterTrustBundle: f('free', 'Certificates of ClusterTrustBundle objects.'),
  }),
  t('core.v1.SecretProjection', 'A Secret in a projected volume.', {
    name: f('string', 'Name of the Secret.'), items: keyItems, optional: f('boolean', 'Whether it may be missing.'),
  }),
  t('core.v1.ConfigMapProjection', 'A ConfigMap in a projected volume.', {
    name: f('string', 'Name of the ConfigMap.'), items: keyItems, optional: f('boolean', 'Whether it may be missing.'),
  }),
  t('core.v1.DownwardAPIProjection', 'Pod fields in a projected volume.', {
    items: f('[]core.v1.DownwardAPIVolumeFile', 'The files.', { list: 'atomic' }),
  }),
  t('core.v1.ServiceAccountTokenProjection', 'A service account token in a projected volume.', {
    audience: f('string', 'Intended audience of the token.'),
    expirationSeconds: f('int64', 'Requested lifetime of the token.'),
    path: f('string', 'Relative file path.', { req: true }),
  }),
  t('core.v1.PodSecurityContext', 'Security options for all containers of a pod.', {
    seLinuxOptions: f('core.v1.SELinuxOptions', 'SELinux context.'),
    windowsOptions: f('free', 'Windows-specific options.'),
    runAsUser: f('int64', 'UID the processes run as.'),
    runAsGroup: f('int64', 'GID the processes run as.'),
    runAsNonRoot: f('boolean', 'Refuse to start as UID 0.'),
    supplementalGroups: f('[]int64', 'Extra groups of the processes.', { list: 'atomic' }),
    supplementalGroupsPolicy: f('string', 'Merge or Strict.'),
    fsGroup: f('int64', 'Group that owns the volumes.'),
    sysctls: f('[]core.v1.Sysctl', 'Namespaced sysctls to set.', { list: 'atomic' }),
    fsGroupChangePolicy: f('string', 'OnRootMismatch or Always.'),
    seccompProfile: f('core.v1.SeccompProfile', 'Seccomp profile.'),
    appArmorProfile: f('core.v1.AppArmorProfile', 'AppArmor profile.'),
    seLinuxChangePolicy: f('string', 'Recursive or MountOption.'),
  }),
  t('core.v1.Sysctl', 'One kernel parameter.', {
    name: f('string', 'Parameter name.', { req: true }),
    value: f('string', 'Parameter value.', { req: true }),
  }),
  t('core.v1.LocalObjectReference', 'Names an object in the same namespace.', {
    name: f('string', 'Name of the object.'),
  }, { atomic: true }),
  t('core.v1.Toleration', 'Lets a pod schedule onto nodes with a matching taint.', {
    key: f('string', 'Taint key; empty with Exists matches every taint.'),
    operator: f('string', 'Exists or Equal.', { enum: ['Equal', 'Exists'] }),
    value: f('string', 'Taint value, for Equal.'),
    effect: f('string', 'NoSchedule, PreferNoSchedule or NoExecute; empty matches all.'),
    tolerationSeconds: f('int64', 'How long a NoExecute taint is tolerated.'),
  }),
  t('core.v1.HostAlias', 'One /etc/hosts line.', {
    ip: f('string', 'IP address.', { req: true }),
    hostnames: f('[]string', 'Names for the address.', { list: 'atomic' }),
  }),
  t('core.v1.PodDNSConfig', 'Resolver settings of a pod.', {
    nameservers: f('[]string', 'DNS server IPs.', { list: 'atomic' }),
    searches: f('[]string', 'Search domains.', { list: 'atomic' }),
    options: f('[]core.v1.PodDNSConfigOption', 'Resolver options.', { list: 'atomic' }),
  }),
  t('core.v1.PodDNSConfigOption', 'One resolver option.', {
    name: f('string', 'Option name (ndots, timeout...).'),
    value: f('string', 'Option value.'),
  }),
  t('core.v1.PodReadinessGate', 'An extra readiness condition.', {
    conditionType: f('string', 'Pod condition type that must be True.', { req: true }),
  }),
  t('core.v1.PodOS', 'Operating system of a pod.', { name: f('string', 'linux or windows.', { req: true }) }),
  t('core.v1.PodSchedulingGate', 'A gate on scheduling.', { name: f('string', 'Gate name.', { req: true }) }),
  t('core.v1.PodStatus', 'Observed state of a pod.', {
    observedGeneration: f('int64', 'metadata.generation this status reflects.'),
    phase: f('string', 'Pending, Running, Succeeded, Failed or Unknown.',
      { enum: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'] }),
    conditions: f('[]core.v1.PodCondition', 'PodScheduled, Initialized, ContainersReady, Ready...', byType),
    message: f('string', 'Why the pod is in this state.'),
    reason: f('string', 'Short CamelCase reason (Evicted...).'),
    nominatedNodeName: f('string', 'Node the pod may run on after preemption.'),
    hostIP: f('string', 'Primary IP of the node.'),
    hostIPs: f('[]core.v1.HostIP', 'IPs of the node.', { list: 'atomic', patch: 'merge', mergeKey: 'ip' }),
    podIP: f('string', 'Primary IP of the pod.'),
    podIPs: f('[]core.v1.PodIP', 'IPs of the pod, one per family.', { list: 'map', keys: ['ip'], patch: 'merge', mergeKey: 'ip' }),
    startTime: f('date-time', 'When the node agent accepted the pod.'),
    initContainerStatuses: f('[]core.v1.ContainerStatus', 'Status of the init containers.', { list: 'atomic' }),
    containerStatuses: f('[]core.v1.ContainerStatus', 'Status of the containers.', { list: 'atomic' }),
    qosClass: f('string', 'Guaranteed, Burstable or BestEffort.'),
    ephemeralContainerStatuses: f('[]core.v1.ContainerStatus', 'Status of the ephemeral containers.', { list: 'atomic' }),
    resize: f('string', 'State of an in-place resize.'),
    resourceClaimStatuses: f('[]free', 'Generated names of the resource claims.', { ...byName, patch: 'merge,retainKeys' }),
  }),
  t('core.v1.PodCondition', 'One condition of a pod.', {
    type: f('string', 'Condition type.', { req: true }),
    observedGeneration: f('int64', 'metadata.generation the condition reflects.'),
    status: f('string', 'True, False or Unknown.', { req: true }),
    lastProbeTime: f('date-time', 'When the condition was last probed.'),
    lastTransitionTime: f('date-time', 'When status last changed.'),
    reason: f('string', 'CamelCase reason of the last transition.'),
    message: f('string', 'Human-readable details.'),
  }),
  t('core.v1.PodIP', 'One pod IP.', { ip: f('string', 'The address.', { req: true }) }),
  t('core.v1.HostIP', 'One node IP.', { ip: f('string', 'The address.', { req: true }) }),
  t('core.v1.ContainerStatus', 'Observed state of one container.', {
    name: f('string', 'Container name.', { req: true }),
    state: f('core.v1.ContainerState', 'Current state.'),
    lastState: f('core.v1.ContainerState', 'State of the previous run.'),
    ready: f('boolean', 'Whether the readiness probe passes.', { req: true }),
    restartCount: f('int32', 'Times the container was restarted.', { req: true }),
    image: f('string', 'Image the container runs.', { req: true }),
    imageID: f('string', 'Resolved image ID.', { req: true }),
    containerID: f('string', 'Runtime ID: <runtime>://<id>.'),
    started: f('boolean', 'Whether the startup probe passed.'),
    allocatedResources: f('{}quantity', 'Resources the node allocated.'),
    resources: f('core.v1.ResourceRequirements', 'Resources the container actually has.'),
    volumeMounts: f('[]free', 'Status of the volume mounts.', {
      list: 'map', keys: ['mountPath'], patch: 'merge', mergeKey: 'mountPath',
    }),
    user: f('free', 'Identity the process runs as.'),
    allocatedResourcesStatus: f('[]free', 'Health of allocated devices.', { list: 'map', keys: ['name'], patch: 'merge', mergeKey: 'name' }),
    stopSignal: f('string', 'Signal used to stop the container.'),
  }),
  t('core.v1.ContainerState', 'Exactly one of waiting, running, terminated.', {
    waiting: f('core.v1.ContainerStateWaiting', 'Not running yet.'),
    running: f('core.v1.ContainerStateRunning', 'Running.'),
    terminated: f('core.v1.ContainerStateTerminated', 'Exited.'),
  }),
  t('core.v1.ContainerStateWaiting', 'A waiting container.', {
    reason: f('string', 'Why it waits (ContainerCreating, CrashLoopBackOff...).'),
    message: f('string', 'Details.'),
  }),
  t('core.v1.ContainerStateRunning', 'A running container.', {
    startedAt: f('date-time', 'When it last started.'),
  }),
  t('core.v1.ContainerStateTerminated', 'An exited container.', {
    exitCode: f('int32', 'Exit status.', { req: true }),
    signal: f('int32', 'Signal that ended it.'),
    reason: f('string', 'Why it ended (Completed, Error, OOMKilled...).'),
    message: f('string', 'Details.'),
    startedAt: f('date-time', 'When it started.'),
    finishedAt: f('date-time', 'When it ended.'),
    containerID: f('string', 'Runtime ID.'),
  }),
];
