import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupVersion, RESOURCES } from '../resources.ts';
import { openapiDocument, openapiRoot } from './index.ts';

interface Doc {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; 'x-kubernetes-group-version-kind'?: object }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

const gvPathOf = (r: { group: string; version: string }) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`);

test('the root lists every served group-version with a hashed URL', () => {
  const root = openapiRoot() as { paths: Record<string, { serverRelativeURL: string }> };
  const expected = [...new Set(RESOURCES.map(gvPathOf))];
  assert.deepEqual(Object.keys(root.paths), expected);
  for (const path of expected) {
    const { hash } = openapiDocument(path)!;
    assert.match(hash, /^[0-9A-F]{128}$/);
    assert.equal(root.paths[path].serverRelativeURL, `/openapi/v3/${path}?hash=${hash}`);
  }
  assert.equal(openapiDocument('apis/batch/v1'), undefined);
  assert.equal(openapiDocument('/api/v1')?.hash, openapiDocument('api/v1')!.hash);
});

test('each kind has a PATCH operation with its GVK and a fieldValidation query parameter', () => {
  for (const r of RESOURCES) {
    const doc = openapiDocument(gvPathOf(r))!.document as Doc;
    const gvk = { group: r.group, kind: r.kind, version: r.version };
    // kubectl's query_param_verifier_v3 only looks at the first matching PATCH operation.
    const first = Object.values(doc.paths).map((item) => item.patch)
      .find((op) => op && JSON.stringify(op['x-kubernetes-group-version-kind']) === JSON.stringify(gvk));
    assert.ok(first, `${groupVersion(r)} ${r.kind} has no PATCH operation`);
    assert.ok(first.parameters!.some((p) => p.name === 'fieldValidation' && p.in === 'query'), `${r.kind} PATCH lacks fieldValidation`);
  }
});

test('component schemas carry the GVK extension and resolve every $ref', () => {
  for (const path of new Set(RESOURCES.map(gvPathOf))) {
    const doc = openapiDocument(path)!.document as Doc;
    const json = JSON.stringify(doc);
    for (const [, name] of json.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      assert.ok(doc.components.schemas[name], `${path}: dangling $ref ${name}`);
    }
    for (const r of RESOURCES.filter((x) => gvPathOf(x) === path)) {
      const found = Object.values(doc.components.schemas).filter((s) => JSON.stringify(s['x-kubernetes-group-version-kind'])
        === JSON.stringify([{ group: r.group, kind: r.kind, version: r.version }]));
      assert.equal(found.length, 1, `${path}: schema of ${r.kind}`);
    }
  }
});

test('list semantics and patch strategies are published as upstream declares them', () => {
  const schemas = (openapiDocument('api/v1')!.document as Doc).components.schemas;
  const props = (name: string) => schemas[`io.k8s.api.core.v1.${name}`].properties as Record<string, Record<string, unknown>>;
  const ports = props('ServiceSpec').ports;
  assert.equal(ports['x-kubernetes-list-type'], 'map');
  assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['port', 'protocol']);
  assert.equal(ports['x-kubernetes-patch-merge-key'], 'port');
  assert.equal(ports['x-kubernetes-patch-strategy'], 'merge');
  assert.deepEqual(props('PodSpec').containers['x-kubernetes-list-map-keys'], ['name']);
  assert.equal(props('PodSpec').volumes['x-kubernetes-patch-strategy'], 'merge,retainKeys');
  assert.deepEqual(props('Container').ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
  assert.equal(props('ServiceSpec').selector['x-kubernetes-map-type'], 'atomic');
  assert.deepEqual(props('ServicePort').targetPort.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }]);
  assert.deepEqual((schemas['io.k8s.api.core.v1.ServicePort'].required as string[]), ['port']);
  const meta = schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry'].properties as Record<string, Record<string, unknown>>;
  assert.equal(meta.fieldsV1['x-kubernetes-preserve-unknown-fields'], true);
});

test('the apps document carries the Scale subresource of autoscaling/v1', () => {
  const doc = openapiDocument('apis/apps/v1')!.document as Doc;
  const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  assert.deepEqual(scale.patch['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
  assert.ok(doc.components.schemas['io.k8s.api.autoscaling.v1.Scale']);
  assert.ok(doc.paths['/apis/apps/v1/deployments'], 'all-namespaces list path');
});
