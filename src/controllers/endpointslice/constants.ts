// Well-known names the EndpointSlice and Endpoints controllers read and write
// (k8s.io/api discovery/v1 and core/v1 well-known labels and annotations).

/** discovery.LabelServiceName: ties a slice to its Service. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
/** discovery.LabelManagedBy: which controller owns a slice. */
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
/** v1.IsHeadlessService: present (empty value) on slices/Endpoints of clusterIP: None Services. */
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
/** discovery.LabelSkipMirror: tells the mirroring controller to leave an Endpoints alone. */
export const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
/** v1.EndpointsLastChangeTriggerTime. */
export const ANNOTATION_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
/** v1.EndpointsOverCapacity. */
export const ANNOTATION_OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
/** v1.LabelTopologyZone, read from Nodes. */
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

/** The managed-by value kube-controller-manager's EndpointSlice controller uses. */
export const ENDPOINTSLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** kube-controller-manager --max-endpoints-per-slice default. */
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;
