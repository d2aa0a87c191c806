import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { Kafka, logLevel } from 'kafkajs';

import type { Config } from '../../config';
import { repoRoot } from '../../config/runtime';
import { kafkaTopics } from '../../core/topics';
import type { StackLayout } from '../layout';
import { runningPid, startDetached, stopDetached } from '../processes';
import { ensureJars, readJarLock } from '../tools/maven-jars';
import { waitUntilReady } from '../wait';

import type { Progress, StackService } from './service';

const run = promisify(execFile);
const lockFile = path.join(repoRoot, 'stack', 'kafka', 'jars.lock.json');

/**
 * A single-node KRaft Kafka broker (broker + controller in one JVM) from the Apache Kafka jars on Maven
 * Central, heap capped by KAFKA_HEAP. The platform's topics are created once the broker answers.
 */
export function kafkaService(config: Config, layout: StackLayout, progress: Progress): StackService {
  const { port, controllerPort, heap } = config.kafka;
  const host = config.bindHost;
  const version = readJarLock(lockFile).jars.find((j) => j.coordinates.startsWith('org.apache.kafka:kafka_2.13:'));
  const libs = path.join(layout.toolsDir, `kafka-${version?.coordinates.split(':')[2] ?? 'unknown'}`, 'libs');
  const dataDir = layout.dataDir('kafka');
  const logDirs = path.join(dataDir, 'data');
  const properties = path.join(dataDir, 'server.properties');
  const logFile = layout.logFile('kafka');

  const kafka = () =>
    new Kafka({
      clientId: 'aqi-stack',
      brokers: config.kafka.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });

  const java = (main: string, args: string[], jvm: string[] = []) => [
    ...jvm,
    `-Dlog4j2.configurationFile=${path.join(repoRoot, 'stack', 'kafka', 'log4j2.properties')}`,
    '-cp',
    `${libs}/*`,
    main,
    ...args,
  ];

  const writeProperties = () => {
    const lines = {
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': `1@${host}:${controllerPort}`,
      listeners: `PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
      'advertised.listeners': `PLAINTEXT://${host}:${port}`,
      'controller.listener.names': 'CONTROLLER',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'log.dirs': logDirs,
      'num.partitions': '3',
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'share.coordinator.state.topic.replication.factor': '1',
      'share.coordinator.state.topic.min.isr': '1',
      // A lone broker has nobody to wait for: consumers join at once instead of after 3 s.
      'group.initial.rebalance.delay.ms': '0',
      'auto.create.topics.enable': 'false',
    };
    writeFileSync(
      properties,
      Object.entries(lines)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + '\n',
    );
  };

  const formatStorage = async () => {
    if (existsSync(path.join(logDirs, 'meta.properties'))) return;
    progress(`formatting Kafka storage in ${logDirs}`);
    const clusterId = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
    // `=` form: a base64url id may start with '-', which would otherwise read as an option.
    await run(
      config.tools.java,
      java('kafka.tools.StorageTool', ['format', `--cluster-id=${clusterId}`, `--config=${properties}`]),
    );
  };

  const isReady = async () => {
    const admin = kafka().admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0 && cluster.controller !== null;
    } finally {
      await admin.disconnect();
    }
  };

  const createTopics = async () => {
    const admin = kafka().admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = kafkaTopics.filter((t) => !existing.has(t.name));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({
            topic: t.name,
            numPartitions: t.partitions,
            replicationFactor: 1,
            configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
          })),
        });
        progress(`created Kafka topics ${missing.map((t) => t.name).join(', ')}`);
      }
    } finally {
      await admin.disconnect();
    }
  };

  return {
    name: 'kafka',
    install: async () => {
      await ensureJars({ lockFile, dir: libs, progress });
    },
    isReady,
    start: async () => {
      if (runningPid(layout, 'kafka') === undefined) {
        writeProperties();
        await formatStorage();
        startDetached(layout, {
          name: 'kafka',
          command: config.tools.java,
          args: java(
            'kafka.Kafka',
            [properties],
            [`-Xmx${heap}`, '-Xms128m', '-XX:+UseG1GC', '-XX:MaxDirectMemorySize=128m'],
          ),
        });
      }
      await waitUntilReady('Kafka broker', isReady, {
        timeoutMs: 60_000,
        logFile,
        alive: () => runningPid(layout, 'kafka') !== undefined,
      });
      await createTopics();
    },
    stop: async () => {
      await stopDetached(layout, 'kafka', 30_000);
    },
    addresses: () => ({ brokers: config.kafka.brokers.join(',') }),
  };
}
