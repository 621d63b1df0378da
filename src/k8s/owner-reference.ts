// metav1.OwnerReference: how a dependent names its owner (garbage collection, controllers).

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}
