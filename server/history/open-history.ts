import type { Logger } from 'pino';
import { prepareRoomName, roomKey } from '../../shared/room-name.js';
import type { ServerConfig } from '../config.js';
import { onBeforeFlush } from '../output/flush-barrier.js';
import type { TrafficStats } from '../stats.js';
import type { HistoryStore } from './history-store.js';
import { describeRetention } from './retention.js';
import { SqliteHistory, type StoreStartup } from './sqlite-history.js';

/** How often old history is pruned (also once at start-up). */
const PRUNE_INTERVAL_MS = 60_000;

/** Opens the history store (throws a clear HistoryUnavailableError) and keeps it pruned. */
export function openHistory(config: ServerConfig, logger: Logger, stats: TrafficStats): { store: HistoryStore; close(): void } {
  const log = logger.child({ component: 'history' });
  let lastWriteErrorLog = 0;
  const defaultName = prepareRoomName(config.defaultRoom);
  const store = new SqliteHistory({
    dataDir: config.dataDir,
    retention: config.historyRetain,
    defaultRoom: { key: roomKey(defaultName), name: defaultName, topic: '' },
    maxPages: config.historyMaxPages,
    onWriteError: function historyWriteFailed(error: unknown, lost: number) {
      // Messages were accepted and are being delivered; chat stays up without them in history.
      stats.countError('SB_ERR_HISTORY');
      const now = Date.now();
      if (now - lastWriteErrorLog < 10_000) return;
      lastWriteErrorLog = now;
      log.error({ err: error, lost }, 'could not write messages to history');
    },
  });
  warnAboutStartup(store.startup, log);
  function prune(): void {
    try {
      const removed = store.prune(Date.now());
      if (removed > 0) log.info({ removed }, 'pruned old history');
    } catch (error) {
      stats.countError('SB_ERR_HISTORY');
      log.error({ err: error }, 'could not prune history');
    }
  }
  prune();
  const pruneTimer = setInterval(prune, PRUNE_INTERVAL_MS).unref();
  const removeHook = onBeforeFlush(function commitHistoryBeforeOutput() {
    store.commit();
  });
  log.info(
    { dataDir: config.dataDir, lastId: store.lastId, keep: describeRetention(config.historyRetain) },
    config.dataDir === ':memory:' ? 'history in memory only' : 'history opened',
  );
  return {
    store,
    close() {
      clearInterval(pruneTimer);
      removeHook();
      store.close();
    },
  };
}

/**
 * The one warning an operator needs when the store came back behind what members were sent, or
 * had to start a new epoch: which ids, how many, the likely cause, and what pages will see.
 */
function warnAboutStartup(startup: StoreStartup, log: Logger): void {
  const lost = startup.lost;
  if (lost === null) {
    if (startup.newEpochBecause !== null) log.warn(`history starts a new epoch: ${startup.newEpochBecause}; pages start their log over`);
    return;
  }
  const count = lost.last - lost.first + 1;
  const ids = lost.first === lost.last ? `id ${lost.first}` : `ids ${lost.first}–${lost.last}`;
  const fields = { lostFirst: lost.first, lostLast: lost.last, lost: count, certain: lost.certain, cause: lost.cause };
  if (!lost.certain) {
    log.warn(fields, `history may be missing up to ${count} messages (${ids}) that members were sent: ${startup.newEpochBecause ?? ''}, and a power cut loses the last writes; history starts a new epoch and pages start their log over`);
    return;
  }
  if (startup.lostKnown) {
    log.info(fields, `history is still missing ${ids} (recorded at an earlier start)`);
    return;
  }
  const why =
    lost.cause === 'write-failed'
      ? 'writes to the database had failed (disk full or I/O error)'
      : 'the database lost writes it had committed (its -wal file was damaged or cut short)';
  log.warn(fields, `history is missing ${ids}: ${count} message${count === 1 ? '' : 's'} that members were sent, not in the database because ${why}; ids continue after them and resuming pages are told`);
}
