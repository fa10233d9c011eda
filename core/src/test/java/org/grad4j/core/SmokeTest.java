package org.grad4j.core;
import org.junit.jupiter.api.Test;
import net.jqwik.api.*;
import static org.junit.jupiter.api.Assertions.*;
class SmokeTest {
  @Test void runs() { assertEquals(25, Runtime.version().feature()); }
  @Property(tries = 5) void prop(@ForAll int x) { assertEquals(x, x); }
}
