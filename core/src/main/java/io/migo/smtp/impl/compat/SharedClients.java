package io.migo.smtp.impl.compat;

import io.migo.smtp.SmtpClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.function.Supplier;

/**
 * The migo clients behind MigoMailClients, counted by their users. A client made by {@code create} has its own; those
 * made by {@code createShared} with one pool name on one Vertx share one, as vertx-mail-client's share a connection
 * pool: the configuration of the first one made is the one used, and the client closes with the last user.
 */
final class SharedClients {

  /** Not vertx-mail-client's own map name: a shared vertx-mail-client pool and a shared migo client never mix. */
  private static final String MAP_NAME = "__migo.MailClient.pools";

  private SharedClients() {
  }

  /** A client of its own on {@code vertx}, closed when its one user closes. */
  static Handle unshared(Vertx vertx, MappedConfig mapped) {
    return new Handle(SmtpClient.create(vertx, mapped.options(), mapped.poolOptions()), mapped, null, null);
  }

  /** The client shared under {@code poolName} on {@code vertx}, made from {@code mapping} if there is none yet. */
  static Handle shared(Vertx vertx, String poolName, Supplier<MappedConfig> mapping) {
    synchronized (vertx) {
      LocalMap<String, Handle> map = vertx.sharedData().getLocalMap(MAP_NAME);
      Handle handle = map.get(poolName);
      if (handle == null) {
        MappedConfig mapped = mapping.get();
        handle = new Handle(SmtpClient.create(vertx, mapped.options(), mapped.poolOptions()), mapped, map, poolName);
        map.put(poolName, handle);
      } else {
        handle.users++;
      }
      return handle;
    }
  }

  /** One migo client and how many MigoMailClients use it; guarded by the Vertx instance's monitor when shared. */
  static final class Handle implements Shareable {

    private final SmtpClient client;
    private final MappedConfig mapped;
    private final LocalMap<String, Handle> map;
    private final String poolName;
    private int users = 1;

    private Handle(SmtpClient client, MappedConfig mapped, LocalMap<String, Handle> map, String poolName) {
      this.client = client;
      this.mapped = mapped;
      this.map = map;
      this.poolName = poolName;
    }

    SmtpClient client() {
      return client;
    }

    MappedConfig mapped() {
      return mapped;
    }

    /** One user is done; the last one closes the client (gracefully: its sends in flight complete first). */
    Future<Void> release(Vertx vertx) {
      if (map == null) {
        return client.close();
      }
      synchronized (vertx) {
        if (--users > 0) {
          return Future.succeededFuture();
        }
        map.remove(poolName);
      }
      return client.close();
    }
  }
}
