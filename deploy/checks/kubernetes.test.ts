import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadConfig } from '@desk/platform';
import { builtServices, COMPOSE_FILE, configSchemaOf, filledIn, isNodeService, loadComposeFile } from './test-support/compose.js';
import { finalStage, lastInstruction, parseDockerfile } from './test-support/dockerfile.js';
import { listAt, mapAt, readText, scalarAt, readYaml, readYamlDocuments, repositoryHas, stringAt, type YamlMap } from './test-support/repository.js';

// deploy/k8s checked without a cluster: every object against the Kubernetes OpenAPI schema
// (kubernetes-models), then what a schema cannot say: probes, resources, Services that match
// their Deployments, autoscaling targets, the Ingress, and each service's environment.

const K8S = 'deploy/k8s';
const kustomization = mapAt(readYaml(`${K8S}/kustomization.yaml`), 'kustomization.yaml');
const resources = listAt(kustomization.resources, 'kustomization.resources').map((resource) => stringAt(resource, 'resource'));

interface KubernetesObject extends YamlMap {
  apiVersion: string;
  kind: string;
  metadata: YamlMap & { name: string };
}

function asObject(document: unknown, file: string): KubernetesObject {
  const object = mapAt(document, file);
  const metadata = mapAt(object.metadata, `${file}: metadata`);
  stringAt(object.apiVersion, `${file}: apiVersion`);
  stringAt(object.kind, `${file}: kind`);
  stringAt(metadata.name, `${file}: metadata.name`);
  return object as KubernetesObject;
}

const objects = resources.flatMap((file) => readYamlDocuments(`${K8S}/${file}`).map((document) => ({ file, object: asObject(document, file) })));
const secretExample = asObject(readYamlDocuments(`${K8S}/secret.example.yaml`)[0], 'secret.example.yaml');

function all(kind: string): KubernetesObject[] {
  return objects.filter(({ object }) => object.kind === kind).map(({ object }) => object);
}

function named(kind: string, name: string): KubernetesObject {
  const object = all(kind).find((candidate) => candidate.metadata.name === name);
  assert.ok(object, `${kind} ${name}`);
  return object;
}

type Validatable = { validate(): void };
type ModelConstructor = new (data: never) => Validatable;

/** kubernetes-models' class for each kind we use; it validates against the API's OpenAPI schema. */
async function modelsByKind(): Promise<Map<string, ModelConstructor>> {
  const core = await import('kubernetes-models/v1');
  const apps = await import('kubernetes-models/apps/v1');
  const autoscaling = await import('kubernetes-models/autoscaling/v2');
  const networking = await import('kubernetes-models/networking.k8s.io/v1');
  return new Map<string, ModelConstructor>([
    ['v1/Namespace', core.Namespace],
    ['v1/ConfigMap', core.ConfigMap],
    ['v1/Secret', core.Secret],
    ['v1/Service', core.Service],
    ['apps/v1/Deployment', apps.Deployment],
    ['autoscaling/v2/HorizontalPodAutoscaler', autoscaling.HorizontalPodAutoscaler],
    ['networking.k8s.io/v1/Ingress', networking.Ingress],
    ['networking.k8s.io/v1/NetworkPolicy', networking.NetworkPolicy],
  ]);
}

function containersOf(deployment: KubernetesObject): YamlMap[] {
  const template = mapAt(mapAt(deployment.spec, 'spec').template, 'spec.template');
  return listAt(mapAt(template.spec, 'template.spec').containers, 'containers').map((container) => mapAt(container, 'container'));
}

function podLabels(deployment: KubernetesObject): YamlMap {
  return mapAt(mapAt(mapAt(mapAt(deployment.spec, 'spec').template, 'template').metadata, 'template.metadata').labels, 'labels');
}

/** The environment a container starts with: envFrom ConfigMaps, then env (values and secret references). */
/** A container's environment, with the example Secret as written or (filled) as an operator fills it in. */
function containerEnvironment(container: YamlMap, where: string, { filled = true } = {}): Record<string, string> {
  const environment: Record<string, string> = {};
  const configMaps = new Map(all('ConfigMap').map((configMap) => [configMap.metadata.name, mapAt(configMap.data ?? {}, 'data')]));
  const secretData = mapAt(secretExample.stringData, 'stringData') as Record<string, string>;
  const secrets = new Map([[secretExample.metadata.name, filled ? filledIn(secretData) : secretData]]);
  for (const source of listAt(container.envFrom ?? [], `${where}.envFrom`).map((entry) => mapAt(entry, 'envFrom'))) {
    const name = stringAt(mapAt(source.configMapRef, 'configMapRef').name, 'configMapRef.name');
    const data = configMaps.get(name);
    assert.ok(data, `${where}: ConfigMap ${name} exists`);
    Object.assign(environment, data);
  }
  for (const variable of listAt(container.env ?? [], `${where}.env`).map((entry) => mapAt(entry, 'env'))) {
    const name = stringAt(variable.name, 'env.name');
    if (variable.value !== undefined) {
      environment[name] = scalarAt(variable.value, `${where}: ${name}`);
      continue;
    }
    const from = mapAt(variable.valueFrom, `${where}: ${name}.valueFrom`);
    const reference = mapAt(from.secretKeyRef ?? from.configMapKeyRef, `${where}: ${name} reference`);
    const store = from.secretKeyRef ? secrets.get(stringAt(reference.name, 'name')) : configMaps.get(stringAt(reference.name, 'name'));
    assert.ok(store, `${where}: ${name} refers to ${String(reference.name)}, which exists`);
    const value = store[stringAt(reference.key, 'key')];
    assert.ok(value !== undefined, `${where}: key ${String(reference.key)} of ${String(reference.name)} exists (for ${name})`);
    environment[name] = scalarAt(value, `${where}: ${name}`);
  }
  return environment;
}

describe('Kubernetes manifests (deploy/k8s)', () => {
  let models: Map<string, ModelConstructor>;
  before(async () => {
    models = await modelsByKind();
  });

  test('kustomization.yaml lists files that exist, and leaves the Secret example out', () => {
    for (const file of resources) assert.ok(repositoryHas(`${K8S}/${file}`), file);
    assert.ok(!resources.includes('secret.example.yaml'));
  });

  test('every object of a Kubernetes API kind validates against the API\'s OpenAPI schema', () => {
    const checked: string[] = [];
    for (const { file, object } of [...objects, { file: 'secret.example.yaml', object: secretExample }]) {
      const model = models.get(`${object.apiVersion}/${object.kind}`);
      if (!model) continue;
      assert.doesNotThrow(() => new model(object as never).validate(), `${file}: ${object.kind} ${object.metadata.name}`);
      checked.push(`${object.kind}/${object.metadata.name}`);
    }
    assert.ok(checked.length >= 15, checked.join(', '));
    const unchecked = objects.filter(({ object }) => !models.has(`${object.apiVersion}/${object.kind}`)).map(({ object }) => `${object.apiVersion}/${object.kind}`);
    assert.deepEqual([...new Set(unchecked)], ['traefik.io/v1alpha1/Middleware'], 'only the Traefik CRDs are outside the core schema');
  });

  test('a Deployment and a Service for every service compose builds, running its image on the port it exposes', () => {
    const { model } = loadComposeFile(COMPOSE_FILE);
    const images = new Map(listAt(kustomization.images, 'images').map((image) => [stringAt(mapAt(image, 'image').name, 'image.name'), mapAt(image, 'image')]));
    for (const { name, dockerfile } of builtServices(model)) {
      const deployment = named('Deployment', name);
      const [container] = containersOf(deployment);
      assert.ok(container);
      const image = stringAt(container.image, `${name} image`).split(':')[0]!;
      assert.equal(image, `incident-platform/${name}`);
      assert.ok(images.has(image), `kustomization sets the registry and tag of ${image}`);
      const exposed = lastInstruction(finalStage(parseDockerfile(readText(dockerfile))), 'EXPOSE')?.args[0];
      const port = listAt(container.ports, 'ports').map((entry) => mapAt(entry, 'port')).find((entry) => entry.name === 'http');
      assert.equal(String(port?.containerPort), exposed, `${name} listens where its image says`);

      const service = named('Service', name);
      const selector = mapAt(mapAt(service.spec, 'spec').selector, 'selector');
      for (const [label, value] of Object.entries(selector)) assert.equal(podLabels(deployment)[label], value, `Service ${name} selects the pods of Deployment ${name}`);
      const servicePort = listAt(mapAt(service.spec, 'spec').ports, 'ports').map((entry) => mapAt(entry, 'port'))[0]!;
      assert.equal(servicePort.targetPort, 'http');
      assert.equal(String(servicePort.port), exposed, `the cluster address keeps the port (the other services' URLs use it)`);
    }
  });

  test('every container has startup and readiness probes on its readiness (/health/ready), liveness on /health/live (the portal: /health), and resource requests and limits', () => {
    for (const deployment of all('Deployment')) {
      for (const container of containersOf(deployment)) {
        const where = `${deployment.metadata.name}/${String(container.name)}`;
        const portNames = listAt(container.ports, `${where}.ports`).map((port) => mapAt(port, 'port').name);
        for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
          const httpGet = mapAt(mapAt(container[probe], `${where}.${probe}`).httpGet, `${where}.${probe}.httpGet`);
          const expected = deployment.metadata.name === 'frontend' ? '/health' : probe === 'livenessProbe' ? '/health/live' : '/health/ready';
          assert.equal(httpGet.path, expected, `${where} ${probe}`);
          assert.ok(portNames.includes(httpGet.port), `${where} ${probe} uses a declared port`);
        }
        const liveness = mapAt(container.livenessProbe, 'livenessProbe');
        const readiness = mapAt(container.readinessProbe, 'readinessProbe');
        assert.ok(Number(liveness.failureThreshold) * Number(liveness.periodSeconds) > Number(readiness.failureThreshold) * Number(readiness.periodSeconds), `${where}: liveness gives up later than readiness`);
        const resourcesOf = mapAt(container.resources, `${where}.resources`);
        for (const kind of ['requests', 'limits']) {
          const values = mapAt(resourcesOf[kind], `${where}.resources.${kind}`);
          assert.ok(values.cpu !== undefined && values.memory !== undefined, `${where} ${kind} cpu and memory`);
        }
        const security = mapAt(container.securityContext, `${where}.securityContext`);
        assert.equal(security.allowPrivilegeEscalation, false, where);
        assert.equal(security.readOnlyRootFilesystem, true, where);
      }
      const podSecurity = mapAt(mapAt(mapAt(mapAt(deployment.spec, 'spec').template, 'template').spec, 'template.spec').securityContext, 'securityContext');
      assert.equal(podSecurity.runAsNonRoot, true, deployment.metadata.name);
    }
  });

  test('the gateway and incident-service scale horizontally on CPU', () => {
    const targets = all('HorizontalPodAutoscaler').map((autoscaler) => {
      const spec = mapAt(autoscaler.spec, 'spec');
      const target = mapAt(spec.scaleTargetRef, 'scaleTargetRef');
      named(stringAt(target.kind, 'kind'), stringAt(target.name, 'name'));
      assert.ok(Number(spec.maxReplicas) > Number(spec.minReplicas ?? 1));
      return target.name;
    });
    assert.deepEqual(targets.sort(), ['gateway', 'incident-service']);
    for (const name of ['gateway', 'incident-service']) {
      for (const container of containersOf(named('Deployment', name))) {
        assert.ok(mapAt(mapAt(container.resources, 'resources').requests, 'requests').cpu, `${name}: a CPU request is what utilisation is measured against`);
      }
    }
  });

  test('the Ingress sends the portal host to the frontend and the API host to the gateway, over TLS', () => {
    const ingress = named('Ingress', 'incident-platform');
    const spec = mapAt(ingress.spec, 'spec');
    const routes = new Map(
      listAt(spec.rules, 'rules').map((rule) => {
        const path = mapAt(listAt(mapAt(mapAt(rule, 'rule').http, 'http').paths, 'paths')[0], 'path');
        const backend = mapAt(mapAt(path.backend, 'backend').service, 'backend.service');
        return [stringAt(mapAt(rule, 'rule').host, 'host'), backend] as const;
      }),
    );
    assert.equal(routes.get('service-now.wordlyte.com')?.name, 'frontend');
    assert.equal(routes.get('api-service-now.wordlyte.com')?.name, 'gateway');
    for (const backend of routes.values()) {
      const service = named('Service', stringAt(backend.name, 'backend'));
      const portName = mapAt(backend.port, 'backend.port').name;
      assert.ok(listAt(mapAt(service.spec, 'spec').ports, 'ports').some((port) => mapAt(port, 'port').name === portName));
    }
    const tlsHosts = listAt(spec.tls, 'tls').flatMap((entry) => listAt(mapAt(entry, 'tls').hosts, 'hosts'));
    assert.deepEqual([...tlsHosts].sort(), [...routes.keys()].sort());
    const middlewares = String(mapAt(ingress.metadata.annotations, 'annotations')['traefik.ingress.kubernetes.io/router.middlewares'])
      .split(',')
      .map((reference) => reference.replace(/@kubernetescrd$/, '').replace(/^incident-platform-/, ''));
    for (const middleware of middlewares) named('Middleware', middleware);
    assert.ok(mapAt(named('Middleware', 'security-headers').spec, 'spec').headers);

    // /metrics of the API host is refused to the world (Prometheus scrapes the pods)
    const metrics = named('Ingress', 'incident-platform-metrics');
    const metricsRule = mapAt(listAt(mapAt(metrics.spec, 'spec').rules, 'rules')[0], 'rule');
    assert.equal(metricsRule.host, 'api-service-now.wordlyte.com');
    assert.equal(mapAt(listAt(mapAt(metricsRule.http, 'http').paths, 'paths')[0], 'path').path, '/metrics');
    assert.equal(mapAt(metrics.metadata.annotations, 'annotations')['traefik.ingress.kubernetes.io/router.middlewares'], 'incident-platform-internal-only@kubernetescrd');
    assert.deepEqual(mapAt(mapAt(named('Middleware', 'internal-only').spec, 'spec').ipAllowList, 'ipAllowList').sourceRange, ['127.0.0.1/32']);
    assert.ok(listAt(mapAt(mapAt(named('Middleware', 'compress').spec, 'spec').compress, 'compress').excludedContentTypes, 'excluded').includes('text/event-stream'));
  });

  test('each service\'s environment (ConfigMap, Secret) parses with its own config schema', async () => {
    const { model } = loadComposeFile(COMPOSE_FILE);
    for (const { name, workspace } of builtServices(model)) {
      if (!isNodeService(workspace)) continue;
      const [container] = containersOf(named('Deployment', name));
      const environment = containerEnvironment(container!, name);
      const schema = await configSchemaOf(workspace);
      assert.doesNotThrow(() => loadConfig(schema, environment), name);
      assert.equal(environment.PORT, String(mapAt(listAt(container!.ports, 'ports')[0], 'port').containerPort), `${name} PORT`);
      if ('DATABASE_URL' in environment) {
        const role = decodeURIComponent(new URL(environment.DATABASE_URL).username);
        assert.equal(role, `${name.replace(/-service$/, '')}_service`, `${name} connects as its own role`);
      }
    }
  });

  test('with the example Secret\'s change-me values left in, every service refuses to start in production', async () => {
    const { model } = loadComposeFile(COMPOSE_FILE);
    for (const { name, workspace } of builtServices(model)) {
      if (!isNodeService(workspace)) continue;
      const [container] = containersOf(named('Deployment', name));
      const environment = containerEnvironment(container!, name, { filled: false });
      assert.equal(environment.NODE_ENV, 'production', `${name} runs in production`);
      const schema = await configSchemaOf(workspace);
      assert.throws(() => loadConfig(schema, environment), /holds a "change-me" placeholder/, name);
    }
  });

  test('each service connects to RabbitMQ as its own user, from a key of its own', () => {
    const { model } = loadComposeFile(COMPOSE_FILE);
    for (const { name, workspace } of builtServices(model)) {
      if (!isNodeService(workspace)) continue;
      const [container] = containersOf(named('Deployment', name));
      const url = containerEnvironment(container!, name).AMQP_URL;
      if (url === undefined) continue;
      assert.equal(decodeURIComponent(new URL(url).username), name.replace(/-service$/, '_service'), name);
    }
  });

  test('the OAuth issuer is the API host the ingress serves the gateway on', () => {
    const issuer = new URL(stringAt(mapAt(named('ConfigMap', 'desk-config').data, 'data').JWT_ISSUER, 'JWT_ISSUER'));
    assert.equal(issuer.protocol, 'https:');
    assert.ok(readText('deploy/k8s/ingress.yaml').includes(`host: ${issuer.hostname}`), issuer.hostname);
  });

  test('nothing secret is in the ConfigMap, and the services\' URLs point at the cluster Services', () => {
    const data = mapAt(named('ConfigMap', 'desk-config').data, 'data');
    for (const key of Object.keys(data)) assert.ok(!/PASSWORD|SECRET|TOKEN|DATABASE_URL|AMQP_URL/.test(key), `${key} belongs in the Secret`);
    for (const key of ['IDENTITY_URL', 'INCIDENT_URL', 'NOTIFICATION_URL', 'ANALYTICS_URL']) {
      const url = new URL(stringAt(data[key], key));
      const service = named('Service', url.hostname);
      const port = mapAt(listAt(mapAt(service.spec, 'spec').ports, 'ports')[0], 'port').port;
      assert.equal(url.port, String(port), key);
    }
  });

  test('network policies deny by default and let in the ingress controller (edge pods) and the platform\'s own pods', () => {
    const policies = all('NetworkPolicy');
    const denyAll = policies.find((policy) => {
      const spec = mapAt(policy.spec, 'spec');
      return Object.keys(mapAt(spec.podSelector, 'podSelector')).length === 0 && spec.ingress === undefined;
    });
    assert.ok(denyAll, 'a default-deny ingress policy');
    const edge = all('Deployment').filter((deployment) => podLabels(deployment)['app.kubernetes.io/component'] === 'edge').map((deployment) => deployment.metadata.name);
    assert.deepEqual(edge.sort(), ['frontend', 'gateway'], 'only the gateway and the portal are edge pods');
  });
});
