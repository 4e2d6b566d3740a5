import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from './app-config';

/**
 * docker-compose.yml and the cluster's nginx config, checked without Docker: no engine runs
 * where the tests do, so whatever can be read from the files is asserted here.
 */
interface ComposeService {
  image?: string;
  profiles?: string[];
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
}

const root = join(__dirname, '..', '..');
const compose = load(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const services = compose.services;
const nginx = readFileSync(join(root, 'deploy', 'nginx-cluster.conf'), 'utf8');

const DEFAULT_SERVICES = ['qdrant', 'service'];
const CLUSTER_SERVICES = ['postgres', 'qdrant-1', 'qdrant-2', 'qdrant-3', 'cluster-build', 'replica-1', 'replica-2', 'load-balancer'];
const REPLICAS = ['replica-1', 'replica-2'];
const QDRANT_NODES = ['qdrant-1', 'qdrant-2', 'qdrant-3'];

/** Compose's `${NAME:-default}` with nothing set in the shell: the default. */
function interpolated(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      String(value).replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_, variable: string, fallback?: string) => {
        if (fallback === undefined) throw new Error(`${name} needs ${variable} set in the shell`);
        return fallback;
      }),
    ]),
  );
}

/**
 * How `npm start` runs node: the heap's flag from scripts/heap-size.js, then the V8 flags with
 * the young-generation size it uses unless NODE_SEMI_SPACE_MIB is set.
 */
function startScriptNodeCommand(): string {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const found = / (node \$\(node scripts\/heap-size\.js\) (?:--\S+ )+dist\/main\.js)/.exec(scripts.start);
  if (!found || !found[1].includes('--max-semi-space-size='))
    throw new Error('npm start no longer sizes the heap and the young generation');
  return found[1].replace(/\$\{NODE_SEMI_SPACE_MIB:-(\d+)\}/g, '$1');
}

function flag(command: string[] | undefined, name: string): string | undefined {
  const at = (command ?? []).indexOf(name);
  return at < 0 ? undefined : command![at + 1];
}

describe('docker-compose.yml', () => {
  it('keeps `docker compose up` as it was and puts the cluster behind the `cluster` profile', () => {
    expect(Object.keys(services).sort()).toEqual([...DEFAULT_SERVICES, ...CLUSTER_SERVICES].sort());
    for (const name of DEFAULT_SERVICES) expect({ name, profiles: services[name].profiles }).toEqual({ name, profiles: undefined });
    for (const name of CLUSTER_SERVICES) expect({ name, profiles: services[name].profiles }).toEqual({ name, profiles: ['cluster'] });
  });

  it('names only existing services in depends_on, and none of the default services needs a cluster one', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect({ name, dependency, exists: dependency in services }).toEqual({ name, dependency, exists: true });
        if (!service.profiles)
          expect({ name, dependency, profiles: services[dependency].profiles }).toEqual({ name, dependency, profiles: undefined });
      }
    }
  });

  describe('the cluster', () => {
    const configs = REPLICAS.map((name) => ({ name, config: loadConfig(interpolated(services[name].environment ?? {})) }));

    it('runs PostgreSQL from the official image, healthy once pg_isready says so', () => {
      const postgres = services.postgres;
      expect(postgres.image).toMatch(/^postgres:\d+/);
      expect(postgres.healthcheck?.test.join(' ')).toMatch(/pg_isready -U recipes -d recipes/);
    });

    it('forms one Qdrant v1.18.0 cluster: node 1 bootstraps it on the p2p port, nodes 2 and 3 join through it', () => {
      const [first, ...others] = QDRANT_NODES;
      for (const name of QDRANT_NODES) {
        const node = services[name];
        expect(node.image).toBe('qdrant/qdrant:v1.18.0');
        expect(node.environment).toMatchObject({ QDRANT__CLUSTER__ENABLED: 'true', QDRANT__CLUSTER__P2P__PORT: '6335' });
        expect(flag(node.command, '--uri')).toBe(`http://${name}:6335`);
        expect(node.healthcheck?.test.join(' ')).toMatch(/readyz/);
      }
      expect(flag(services[first].command, '--bootstrap')).toBeUndefined();
      for (const name of others) {
        expect(flag(services[name].command, '--bootstrap')).toBe(`http://${first}:6335`);
        expect(services[name].depends_on?.[first]).toEqual({ condition: 'service_healthy' });
      }
    });

    it("starts each replica with an environment the service's own config validation accepts", () => {
      // (Reaching here means loadConfig threw for none of them; the single service's must pass too.)
      expect(() => loadConfig(interpolated(services.service.environment ?? {}))).not.toThrow();
      for (const { name, config } of configs) {
        expect({ name, vectorStore: config.vectorStore.kind, adminKeyGenerated: config.adminApiKeyGenerated }).toEqual({
          name,
          vectorStore: 'qdrant',
          adminKeyGenerated: false,
        });
      }
    });

    it('points every replica at the postgres service, with its user, password and database', () => {
      const postgres = interpolated(services.postgres.environment ?? {});
      for (const { name, config } of configs) {
        const url = new URL(config.databaseUrl ?? '');
        expect({ name, host: url.hostname, port: url.port, user: url.username, password: url.password, database: url.pathname }).toEqual({
          name,
          host: 'postgres',
          port: '5432',
          user: postgres.POSTGRES_USER,
          password: postgres.POSTGRES_PASSWORD,
          database: `/${postgres.POSTGRES_DB}`,
        });
      }
    });

    it('asks Qdrant for no more copies than there are nodes, and spreads the shards evenly over them', () => {
      for (const { name, config } of configs) {
        const { url, shards, replicationFactor, writeConsistencyFactor } = config.vectorStore.qdrant;
        expect(QDRANT_NODES.map((node) => `http://${node}:6333`)).toContain(url);
        expect({ name, replicationFactor, writeConsistencyFactor }).toEqual({ name, replicationFactor: 2, writeConsistencyFactor: 2 });
        expect(replicationFactor).toBeLessThanOrEqual(QDRANT_NODES.length);
        expect(shards % QDRANT_NODES.length).toBe(0);
      }
      // The two replicas share one set of collections.
      const settings = configs.map(({ config }) => ({ ...config.vectorStore.qdrant, url: null }));
      expect(settings[1]).toEqual(settings[0]);
    });

    it('starts the replicas after the database, every Qdrant node and the one-off build, and checks their health route', () => {
      for (const name of REPLICAS) {
        const replica = services[name];
        expect(replica.depends_on).toMatchObject({
          'cluster-build': { condition: 'service_completed_successfully' },
          postgres: { condition: 'service_healthy' },
          ...Object.fromEntries(QDRANT_NODES.map((node) => [node, { condition: 'service_healthy' }])),
        });
        const port = configs.find((c) => c.name === name)!.config.port;
        expect(replica.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/api/health`);
        // Built once: the replicas run the compiled service, never `npm ci` or a build of their own,
        // with the V8 flags `npm start` gives it.
        // (`$$` is Compose's escape for the shell's `$`.)
        expect(replica.command).toEqual(['sh', '-c', `exec ${startScriptNodeCommand()}`.replace('$(', '$$$$(')]);
      }
    });

    it('balances over both replicas round robin, leaving out one that fails (deploy/nginx-cluster.conf)', () => {
      const lb = services['load-balancer'];
      expect(lb.image).toMatch(/^nginx:/);
      expect(lb.volumes).toContain('./deploy/nginx-cluster.conf:/etc/nginx/conf.d/default.conf:ro');
      expect(Object.keys(lb.depends_on ?? {}).sort()).toEqual(REPLICAS);

      const upstream = /upstream\s+(\w+)\s*\{([^}]*)\}/.exec(nginx);
      expect(upstream).not.toBeNull();
      const [, upstreamName, body] = upstream!;
      // No balancing directive (least_conn, ip_hash, hash, random): nginx's round robin.
      expect(body).not.toMatch(/^\s*(least_conn|ip_hash|hash|random)\b/m);
      const servers = [...body.matchAll(/^\s*server\s+([\w.-]+):(\d+)([^;]*);/gm)].map(([, host, port, options]) => ({
        host,
        port: Number(port),
        options,
      }));
      expect(servers.map((s) => s.host).sort()).toEqual(REPLICAS);
      for (const server of servers) {
        expect(server.port).toBe(configs.find((c) => c.name === server.host)!.config.port);
        expect(server.options).toMatch(/max_fails=\d+/);
      }
      expect(nginx).toContain(`proxy_pass http://${upstreamName};`);
    });
  });
});
