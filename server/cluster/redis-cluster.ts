import type { ClusterConnector } from '../hub/cluster-link.js';
import { RedisLink } from './redis-link.js';

/**
 * The scale-out layer as `server/switchboard.ts` loads it (only with `--redis`, so ioredis is not
 * loaded otherwise): connects to Redis and hands back the hub's ClusterConnection.
 */
export const connectRedisCluster: ClusterConnector = function connectRedisCluster(options) {
  return RedisLink.connect(options);
};
