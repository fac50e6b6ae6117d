package dev.redissession.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.vertx.redis.client.impl.types.ErrorType;

/** What a pipeline of one command reports is turned back into what the command alone would have failed with. */
class UnpipelinedTest {

    @Test
    void aRedisErrorReplyKeepsItsCode() {
        Throwable down = ClusterConnections.unpipelined(ErrorType.create("ERR [0] CLUSTERDOWN The cluster is down"));
        assertTrue(((ErrorType) down).is("CLUSTERDOWN"), down.getMessage());
        assertEquals("CLUSTERDOWN The cluster is down", down.getMessage());
        assertTrue(((ErrorType) ClusterConnections.unpipelined(ErrorType.create("ERR [0] MOVED 3999 127.0.0.1:6381")))
                .is("MOVED"));
    }

    @Test
    void aBrokenSocketIsAnIoFailureAgain() {
        Throwable broken = ClusterConnections.unpipelined(ErrorType.create("ERR [0] java.io.IOException: Broken pipe"));
        assertInstanceOf(IOException.class, broken);
        assertEquals("java.io.IOException: Broken pipe", broken.getMessage());
    }

    @Test
    void aPlainErrReplyStaysAnErrReply() {
        Throwable err = ClusterConnections.unpipelined(ErrorType.create("ERR [0] unknown command 'FOO'"));
        assertTrue(((ErrorType) err).is("ERR"), err.getMessage());
    }

    @Test
    void anythingElseIsLeftAlone() {
        ErrorType own = ErrorType.create("WRONGTYPE Operation against a key holding the wrong kind of value");
        assertSame(own, ClusterConnections.unpipelined(own));
        IOException io = new IOException("closed");
        assertSame(io, ClusterConnections.unpipelined(io));
    }
}
