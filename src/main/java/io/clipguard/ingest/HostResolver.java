package io.clipguard.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a host name to its addresses; the seam that keeps guard tests off the network. */
@FunctionalInterface
interface HostResolver {

    /** The system resolver; address literals are parsed, never looked up. */
    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
