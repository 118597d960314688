package io.migo.mutiny.smtp;

import io.smallrye.common.annotation.CheckReturnValue;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.MutinyDelegate;
import io.smallrye.mutiny.vertx.MutinyGen;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The generated-shim shape: a Uni for each Future method of the core client, each Uni with an AndAwait twin returning
 * its item and an AndForget twin returning the shim; created from the Mutiny Vertx; a MutinyDelegate.
 */
class SmtpClientShapeTest {

  private static List<Method> uniMethods() {
    return Arrays.stream(SmtpClient.class.getDeclaredMethods())
      .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
      .filter(m -> m.getReturnType() == Uni.class)
      .toList();
  }

  @Test
  void everyFutureMethodOfTheCoreClientHasAUniOfTheSameItem() throws Exception {
    List<Method> futureMethods = Arrays.stream(io.migo.smtp.SmtpClient.class.getMethods())
      .filter(m -> !Modifier.isStatic(m.getModifiers()) && m.getReturnType() == Future.class)
      .toList();
    assertThat(futureMethods).extracting(Method::getName).contains("send", "close");
    for (Method future : futureMethods) {
      Method uni = SmtpClient.class.getMethod(future.getName(), future.getParameterTypes());
      assertThat(uni.getReturnType()).as(uni.toString()).isEqualTo(Uni.class);
      assertThat(itemType(uni)).as(uni.toString()).isEqualTo(itemType(future));
      // As in the generated shims: dropping a lazy Uni unsubscribed is a bug that tools can flag.
      assertThat(uni.isAnnotationPresent(CheckReturnValue.class)).as(uni.toString()).isTrue();
    }
    assertThat(uniMethods()).hasSameSizeAs(futureMethods);
  }

  @Test
  void everyUniMethodHasAnAndAwaitTwinReturningItsItem() throws Exception {
    for (Method m : uniMethods()) {
      Method await = twin(m, "AndAwait");
      Type item = itemType(m);
      if (item == Void.class) {
        assertThat(await.getReturnType()).as(await.toString()).isEqualTo(void.class);
      } else {
        assertThat(await.getGenericReturnType()).as(await.toString()).isEqualTo(item);
      }
    }
  }

  @Test
  void everyUniMethodHasAnAndForgetTwinReturningTheShim() throws Exception {
    for (Method m : uniMethods()) {
      assertThat(twin(m, "AndForget").getReturnType()).as(m.toString()).isEqualTo(SmtpClient.class);
    }
  }

  @Test
  void theShimCanBeBuiltFromAndUnwrappedToTheCoreClient() throws Exception {
    assertThat(SmtpClient.class.getMethod("newInstance", io.migo.smtp.SmtpClient.class).getReturnType())
      .isEqualTo(SmtpClient.class);
    assertThat(SmtpClient.class.getMethod("getDelegate").getReturnType()).isEqualTo(io.migo.smtp.SmtpClient.class);
    assertThat(SmtpClient.newInstance(null)).isNull();
  }

  @Test
  void theShimIsAMutinyDelegateMarkedAsTheMutinyFormOfTheCoreClient() {
    assertThat(MutinyDelegate.class).isAssignableFrom(SmtpClient.class);
    assertThat(SmtpClient.class.getAnnotation(MutinyGen.class).value()).isEqualTo(io.migo.smtp.SmtpClient.class);
  }

  @Test
  void itIsCreatedFromTheMutinyVertxOnly() throws Exception {
    List<Method> factories = Arrays.stream(SmtpClient.class.getDeclaredMethods())
      .filter(m -> m.getName().equals("create"))
      .toList();
    assertThat(factories).hasSize(2).allSatisfy(m -> {
      assertThat(Modifier.isStatic(m.getModifiers())).isTrue();
      assertThat(m.getParameterTypes()[0]).isEqualTo(io.vertx.mutiny.core.Vertx.class);
      assertThat(m.getReturnType()).isEqualTo(SmtpClient.class);
    });
  }

  private static Type itemType(Method m) {
    return ((ParameterizedType) m.getGenericReturnType()).getActualTypeArguments()[0];
  }

  private static Method twin(Method m, String suffix) {
    try {
      Method t = SmtpClient.class.getMethod(m.getName() + suffix, m.getParameterTypes());
      assertThat(Modifier.isPublic(t.getModifiers())).isTrue();
      return t;
    } catch (NoSuchMethodException e) {
      return fail("missing %s%s%s", m.getName(), suffix, Arrays.toString(m.getParameterTypes()));
    }
  }
}
