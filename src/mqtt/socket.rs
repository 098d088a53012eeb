//! paho's TCP socket to the broker, seen from beside paho: to tell whether the next push has
//! already arrived whole, so that a line nobody acknowledges may wait for it (`Release::WithNext`).
//!
//! A workaround for paho-mqtt 0.14 (pinned), which does not expose its socket: the socket is found
//! among this process's descriptors by its peer address, and only reads that leave the data in place
//! (`FIONREAD`, `MSG_PEEK`) are made on it. Linux only; elsewhere every line is written at once. The
//! integration test `bursts_are_written_in_batches_unless_a_durable_session_acknowledges_after_each_line` fails the day this
//! stops finding paho's socket.

use std::net::SocketAddr;
#[cfg(target_os = "linux")]
use std::os::fd::{BorrowedFd, RawFd};
#[cfg(target_os = "linux")]
use std::sync::atomic::{AtomicI32, Ordering};

#[cfg(target_os = "linux")]
use rustix::net::RecvFlags;

#[cfg(target_os = "linux")]
/// The highest descriptor searched; paho's socket is among the first few a process opens.
const SEARCH_LIMIT: RawFd = 1024;
#[cfg(target_os = "linux")]
const UNKNOWN: RawFd = -1;
/// Searched and not found on this connection: do not search on every push.
#[cfg(target_os = "linux")]
const ABSENT: RawFd = -2;
#[cfg(target_os = "linux")]
/// Bytes peeked at: more than a typical push (about 300 bytes with its MQTT header).
const PEEK: usize = 1024;
#[cfg(target_os = "linux")]
/// MQTT control packet type PUBLISH, in the high nibble of the first byte.
const PUBLISH: u8 = 3;

#[cfg(target_os = "linux")]
pub struct BrokerSocket {
    /// The broker's addresses, to recognise paho's socket by its peer.
    addresses: Vec<SocketAddr>,
    fd: AtomicI32,
}

/// Without Linux's descriptor calls nothing is known about paho's socket: no line waits.
#[cfg(not(target_os = "linux"))]
pub struct BrokerSocket;

#[cfg(not(target_os = "linux"))]
impl BrokerSocket {
    pub fn new(_addresses: Vec<SocketAddr>) -> BrokerSocket {
        BrokerSocket
    }

    pub fn forget(&self) {}

    pub fn next_publish_ready(&self) -> bool {
        false
    }
}

#[cfg(target_os = "linux")]
impl BrokerSocket {
    pub fn new(addresses: Vec<SocketAddr>) -> BrokerSocket {
        BrokerSocket { addresses, fd: AtomicI32::new(UNKNOWN) }
    }

    /// Forgets the socket: call before each connection attempt and when a connection is lost, as
    /// paho then closes it and its number may be reused.
    pub fn forget(&self) {
        self.fd.store(UNKNOWN, Ordering::SeqCst);
    }

    /// True when a whole PUBLISH packet waits unread in the socket, so paho is about to hand it to
    /// us. Called on paho's receive thread, between two packets. Any doubt answers false.
    pub fn next_publish_ready(&self) -> bool {
        let Some(fd) = self.find() else { return false };
        // SAFETY: `fd` is paho's connected socket to the broker, found by its peer address. paho
        // keeps it open while it delivers pushes on this connection, we are called from within that
        // delivery (paho's receive thread), and `forget` drops the number before paho could close it
        // (lost connection, new attempt). The borrow ends with this call; only peeks are made on it.
        let socket = unsafe { BorrowedFd::borrow_raw(fd) };
        // One peek shows a typical push whole; only a longer one needs FIONREAD's count too.
        let mut head = [0u8; PEEK];
        let Ok((peeked, _)) = rustix::net::recv(socket, &mut head, RecvFlags::PEEK | RecvFlags::DONTWAIT) else {
            return false;
        };
        match publish_length(&head[..peeked]) {
            Some(length) if length <= peeked as u64 => true,
            Some(length) => rustix::io::ioctl_fionread(socket).is_ok_and(|available| available >= length),
            None => false,
        }
    }

    fn find(&self) -> Option<RawFd> {
        match self.fd.load(Ordering::SeqCst) {
            ABSENT => return None,
            UNKNOWN => {}
            known => return Some(known),
        }
        let found = (3..SEARCH_LIMIT).find(|&fd| {
            // SAFETY: the borrow lives for one `getpeername`, which only reads the peer's address; a
            // number that is not an open descriptor answers EBADF and nothing else happens.
            let candidate = unsafe { BorrowedFd::borrow_raw(fd) };
            let peer = rustix::net::getpeername(candidate).ok().flatten();
            peer.and_then(|peer| SocketAddr::try_from(peer).ok()).is_some_and(|peer| self.addresses.contains(&peer))
        });
        self.fd.store(found.unwrap_or(ABSENT), Ordering::SeqCst);
        found
    }
}

#[cfg(target_os = "linux")]
/// The whole length of the MQTT packet that `header` starts, if it is a PUBLISH and its length is
/// readable from these bytes (type byte, then a variable-length "remaining length" of 1–4 bytes).
fn publish_length(header: &[u8]) -> Option<u64> {
    let (&kind, rest) = header.split_first()?;
    if kind >> 4 != PUBLISH {
        return None;
    }
    let mut remaining = 0u64;
    for (i, &byte) in rest.iter().enumerate().take(4) {
        remaining |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some(1 + (i as u64 + 1) + remaining);
        }
    }
    None
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::{TcpListener, TcpStream};

    #[test]
    fn publish_lengths_follow_the_mqtt_encoding() {
        assert_eq!(publish_length(&[0x30, 0x00]), Some(2));
        assert_eq!(publish_length(&[0x32, 0x7f]), Some(129));
        assert_eq!(publish_length(&[0x32, 0x80, 0x01]), Some(131));
        assert_eq!(publish_length(&[0x30, 0xff, 0xff, 0xff, 0x7f]), Some(5 + 268_435_455));
        assert_eq!(publish_length(&[0x30, 0x80]), None, "length bytes not all here");
        assert_eq!(publish_length(&[0xd0, 0x00]), None, "PINGRESP is not a push");
        assert_eq!(publish_length(&[]), None);
    }

    /// A connected pair: our end as a `BrokerSocket` would find it, and the "broker" end.
    fn connection() -> (BrokerSocket, TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let client = TcpStream::connect(address).unwrap();
        let (server, _) = listener.accept().unwrap();
        (BrokerSocket::new(vec![address]), client, server)
    }

    fn send(server: &mut TcpStream, bytes: &[u8]) {
        server.write_all(bytes).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    #[test]
    fn sees_a_whole_publish_waiting_and_not_a_partial_one() {
        let (socket, _client, mut server) = connection();
        assert!(!socket.next_publish_ready(), "nothing sent yet");
        send(&mut server, &[0x30, 0x05, b'a', b'b']);
        assert!(!socket.next_publish_ready(), "3 of 5 payload bytes");
        send(&mut server, b"cde");
        assert!(socket.next_publish_ready(), "whole packet waiting");

        let other = BrokerSocket::new(vec!["127.0.0.1:1".parse().unwrap()]);
        assert!(!other.next_publish_ready(), "no socket to that peer");
    }

    #[test]
    fn a_push_longer_than_one_peek_is_counted_whole() {
        let (socket, _client, mut server) = connection();
        // PUBLISH with a remaining length of 2000: 0x80 | (2000 % 128), 2000 / 128.
        let mut packet = vec![0x30, 0xd0, 0x0f];
        packet.extend(std::iter::repeat_n(b'x', 2000));
        send(&mut server, &packet[..1500]);
        assert!(!socket.next_publish_ready(), "1500 of 2003 bytes");
        send(&mut server, &packet[1500..]);
        assert!(socket.next_publish_ready(), "all 2003 bytes");
    }
}
