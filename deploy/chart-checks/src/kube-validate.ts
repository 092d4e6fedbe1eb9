import { ConfigMap, Pod, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import type { K8sObject } from './helm';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

/**
 * The OpenAPI schemas of the Kubernetes API (kubernetes-models) and of the Prometheus Operator's
 * ServiceMonitor CRD, offline. Every kind the chart renders must be listed here: an unknown kind
 * is reported, not silently passed. (These schemas, like the API server's, allow unknown fields.)
 */
const MODELS: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Pod': Pod,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

/** Problems of one object against its schema; empty when it is valid. */
export function validateObject(object: K8sObject): string[] {
  const id = `${object.apiVersion}/${object.kind}`;
  const Model = MODELS[id];
  const name = `${object.kind} ${object.metadata?.name ?? '(no name)'}`;
  if (!Model) return [`${name}: no schema for ${id} in the chart checks (add its model to kube-validate.ts)`];
  try {
    new Model(object as never).validate();
    return [];
  } catch (error) {
    return [`${name}: ${error instanceof Error ? error.message : String(error)}`];
  }
}

export function validateObjects(objects: readonly K8sObject[]): string[] {
  return objects.flatMap(validateObject);
}
