import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EmbeddedVectorStore } from './embedded/embedded-vector-store';
import { QdrantVectorStore } from './qdrant/qdrant-vector-store';
import { VectorStore } from './vector-store.port';

/**
 * Builds the configured store. A new instance per model: while a retrained model fills its
 * own collection, queries keep using the old instance, and the two swap together.
 */
@Injectable()
export class VectorStoreFactory {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * `replacing`: the store the new one will take over from (a retrain's or a rebuild's), whose
   * unchanged payloads an embedded store shares instead of copying.
   */
  create(options: { replacing?: VectorStore } = {}): VectorStore {
    const { kind, qdrant, embedded } = this.config.vectorStore;
    switch (kind) {
      case 'embedded':
        return new EmbeddedVectorStore(this.dataSource, {
          collectionPrefix: qdrant.collectionPrefix,
          ivf: {
            minPoints: embedded.ivfMinPoints,
            probes: embedded.ivfProbes,
            lists: embedded.ivfLists,
            oversampling: embedded.ivfOversampling,
          },
          sharePayloadsWith: options.replacing instanceof EmbeddedVectorStore ? options.replacing : undefined,
        });
      case 'qdrant':
        return new QdrantVectorStore({
          url: qdrant.url!,
          apiKey: qdrant.apiKey ?? undefined,
          collectionPrefix: qdrant.collectionPrefix,
          timeoutMs: qdrant.timeoutMs,
          shards: qdrant.shards,
          replicationFactor: qdrant.replicationFactor,
          writeConsistencyFactor: qdrant.writeConsistencyFactor,
          quantization: qdrant.quantization,
          oversampling: qdrant.oversampling,
        });
      default: {
        const unknown: never = kind;
        throw new Error(`Unknown vector store ${String(unknown)}`);
      }
    }
  }
}
