package io.migo.smtp.impl.compat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailClientBuilder;
import io.vertx.ext.mail.MailConfig;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * vertx-mail-client's {@link MailClientBuilder} for migo clients. The configuration is mapped when
 * {@link #build()} is called, and refused there (IllegalArgumentException) when an option cannot be mapped.
 */
public final class MigoMailClientBuilder implements MailClientBuilder {

  private final Vertx vertx;
  private MailConfig config = new MailConfig();
  private Supplier<Future<UsernamePasswordCredentials>> credentialsSupplier;
  private String poolName;

  public MigoMailClientBuilder(Vertx vertx) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
  }

  @Override
  public MailClientBuilder with(MailConfig configuration) {
    this.config = new MailConfig(Objects.requireNonNull(configuration, "configuration"));
    return this;
  }

  @Override
  public MailClientBuilder withCredentialsSupplier(
    Supplier<Future<UsernamePasswordCredentials>> credentialsSupplier) {
    this.credentialsSupplier = credentialsSupplier;
    return this;
  }

  @Override
  public MailClientBuilder shared(String poolName) {
    this.poolName = Objects.requireNonNull(poolName, "poolName");
    return this;
  }

  /**
   * A shared client whose pool already exists uses that pool's configuration, as in vertx-mail-client; its own
   * configuration is still checked, so that a config that cannot be mapped is refused whichever client comes first.
   */
  @Override
  public MailClient build() {
    MappedConfig mapped = MailConfigMapper.map(config, credentialsSupplier);
    SharedClients.Handle handle = poolName == null ? SharedClients.unshared(vertx, mapped)
      : SharedClients.shared(vertx, poolName, () -> mapped);
    return new MigoMailClientImpl(vertx, handle);
  }
}
