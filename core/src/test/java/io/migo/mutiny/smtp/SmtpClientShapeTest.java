package io.migo.mutiny.smtp;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The generated-shim shape: each Uni method has an AndAwait twin returning its item and an AndForget returning the shim. */
class SmtpClientShapeTest {

  private static List<Method> uniMethods() {
    return Arrays.stream(SmtpClient.class.getDeclaredMethods())
      .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
      .filter(m -> m.getReturnType() == Uni.class)
      .toList();
  }

  @Test
  void everyFutureMethodOfTheCoreClientHasAUni() {
    assertThat(uniMethods()).extracting(Method::getName).contains("send", "close");
    assertThat(uniMethods()).hasSize(4);
  }

  @Test
  void everyUniMethodHasAnAndAwaitTwinReturningItsItem() throws Exception {
    for (Method m : uniMethods()) {
      Method await = twin(m, "AndAwait");
      Type item = ((ParameterizedType) m.getGenericReturnType()).getActualTypeArguments()[0];
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
