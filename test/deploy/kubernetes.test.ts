import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { EnvSchema, loadConfig } from '../../src/config/config';
import { ROOT } from '../helpers/architect-harness';

const EnvVarSchema = z.object({
  name: z.string(),
  value: z.string().optional(),
  valueFrom: z
    .object({
      secretKeyRef: z.object({ name: z.string(), key: z.string(), optional: z.boolean().optional() }),
    })
    .optional(),
});
const ProbeSchema = z.object({
  httpGet: z.object({ path: z.string(), port: z.union([z.string(), z.number()]) }),
});
const ContainerSchema = z.object({
  name: z.string(),
  image: z.string(),
  ports: z.array(z.object({ name: z.string(), containerPort: z.number() })),
  env: z.array(EnvVarSchema),
  livenessProbe: ProbeSchema,
  readinessProbe: ProbeSchema,
  resources: z.object({
    requests: z.object({ cpu: z.string(), memory: z.string() }),
    limits: z.object({ memory: z.string() }).optional(),
  }),
});
const DeploymentSchema = z.object({
  kind: z.literal('Deployment'),
  metadata: z.object({ name: z.string() }),
  spec: z.object({
    selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
    template: z.object({
      metadata: z.object({ labels: z.record(z.string(), z.string()) }),
      spec: z.object({
        terminationGracePeriodSeconds: z.number(),
        containers: z.array(ContainerSchema).length(1),
      }),
    }),
  }),
});
const ServiceSchema = z.object({
  kind: z.literal('Service'),
  spec: z.object({
    selector: z.record(z.string(), z.string()),
    ports: z.array(z.object({ port: z.number(), targetPort: z.union([z.string(), z.number()]) })),
  }),
});

type Deployment = z.infer<typeof DeploymentSchema>;

const documents = parseAllDocuments(readFileSync(path.join(ROOT, 'deploy/kubernetes.yaml'), 'utf8')).map(
  (d) => {
    if (d.errors.length > 0) throw new Error(d.errors.map((e) => e.message).join('\n'));
    return d.toJS() as { kind?: string };
  },
);
const deployments = documents.filter((d) => d.kind === 'Deployment').map((d) => DeploymentSchema.parse(d));
const services = documents.filter((d) => d.kind === 'Service').map((d) => ServiceSchema.parse(d));

/** Every environment variable the app's configuration reads, from the configuration schema. */
const configVariables = new Set(Object.keys(EnvSchema.shape));

/** Placeholders for the Secret's keys, in the shape the configuration requires. */
const SECRET_VALUES: Record<string, string> = {
  SLACK_BOT_TOKEN: 'xoxb-placeholder',
  SLACK_SIGNING_SECRET: 'signing-secret',
  SLACK_APP_TOKEN: 'xapp-placeholder',
  ANTHROPIC_API_KEY: 'sk-ant-placeholder',
  REDIS_URL: 'rediss://:password@redis.example:6379',
  ADMIN_PASSWORD: 'a-long-admin-password',
};

const containerOf = (d: Deployment) => {
  const container = d.spec.template.spec.containers[0];
  if (!container) throw new Error(`${d.metadata.name} has no container`);
  return container;
};
const envOf = (d: Deployment): Record<string, string> =>
  Object.fromEntries(
    containerOf(d).env.map((e) => [
      e.name,
      e.value ?? SECRET_VALUES[e.valueFrom?.secretKeyRef.key ?? ''] ?? '',
    ]),
  );

describe('deploy/kubernetes.yaml', () => {
  it('has a web and a worker Deployment', () => {
    expect(deployments.map((d) => envOf(d).ROLE).sort()).toEqual(['web', 'worker']);
    expect(configVariables.size).toBeGreaterThan(20);
  });

  it.each(deployments.map((d) => [d.metadata.name, d] as const))(
    '%s: its environment is one the app accepts, with names the app reads',
    (_name, deployment) => {
      const env = envOf(deployment);
      for (const name of Object.keys(env))
        expect({ name, known: configVariables.has(name) }).toEqual({ name, known: true });
      for (const e of containerOf(deployment).env) {
        if (e.valueFrom)
          expect(e.valueFrom.secretKeyRef).toMatchObject({ name: 'architect-secrets', key: e.name });
      }
      const config = loadConfig(env);
      expect(config.role).toBe(env.ROLE);
      expect(config.queuePrefix).toBe('{architect}');
      // The pod must outlive the app's own shutdown deadline, or running reviews are cut off.
      expect(deployment.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
        config.shutdownTimeoutMs,
      );
    },
  );

  it.each(deployments.map((d) => [d.metadata.name, d] as const))(
    '%s: probes /healthz and /readyz on the port the app listens on',
    (_name, deployment) => {
      const container = containerOf(deployment);
      const port = loadConfig(envOf(deployment)).port;
      const http = container.ports.find((p) => p.name === 'http');
      expect(http?.containerPort).toBe(port);
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    },
  );

  it('routes the web Service to the web pods’ HTTP port', () => {
    const web = deployments.find((d) => envOf(d).ROLE === 'web');
    const service = services[0];
    if (!web || !service) throw new Error('expected a web Deployment and its Service');
    expect(web.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(service.spec.ports.map((p) => p.targetPort)).toEqual(['http']);
    expect(loadConfig(envOf(web)).slack.mode).toBe('http');
  });
});
