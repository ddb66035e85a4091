//! A second client, written from docs/protocol.md alone: it builds every message by hand
//! from the documented layout (version byte, varint seq, body bytes, CRC-32C little-endian,
//! 20-byte chunks with a header byte), computes its own CRC, and plays against the device
//! server, including every error case. It reads a bounded number of times: a reply that
//! never comes fails the test instead of hanging it.

use stim_core::device::Device;
use stim_proto::messages::{DeviceKind, Identity};
use stim_proto::server::{Clock, Server};

/// CRC-32C as the page states it: polynomial 0x1EDC6F41 reflected (0x82F63B78), init and
/// final XOR 0xFFFFFFFF.
fn crc32c(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0x82F6_3B78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn varint(mut value: u64, out: &mut Vec<u8>) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// version 2, seq, body, CRC.
fn message(seq: u16, body: &[u8]) -> Vec<u8> {
    let mut m = vec![2];
    varint(seq.into(), &mut m);
    m.extend_from_slice(body);
    let crc = crc32c(&m);
    m.extend_from_slice(&crc.to_le_bytes());
    m
}

/// 20-byte chunks: header (bit 7 last, bits 0–6 index), then 19 bytes.
fn chunks(message: &[u8]) -> Vec<Vec<u8>> {
    let parts: Vec<&[u8]> = message.chunks(19).collect();
    let count = parts.len();
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let last = if i + 1 == count { 0x80 } else { 0 };
            [&[last | i as u8][..], part].concat()
        })
        .collect()
}

/// A reply as the page describes it: seq and body, once version and CRC check out.
#[derive(Debug, PartialEq)]
struct Reply {
    seq: u16,
    body: Vec<u8>,
}

struct Link(Server);

impl Link {
    fn new() -> Self {
        let identity = Identity {
            protocol_version: 1,
            firmware: heapless::String::try_from("0.1.0").unwrap(),
            kind: DeviceKind::Virtual,
            contact_slots: 17,
        };
        Link(Server::new(
            Device::default(),
            identity,
            20,
            Clock::Stepped,
            0,
        ))
    }

    fn write(&mut self, chunks: &[Vec<u8>]) {
        for chunk in chunks {
            self.0.receive(0, chunk);
        }
    }

    /// Every reply waiting, read chunk by chunk (at most 1 000 reads).
    fn replies(&mut self) -> Vec<Reply> {
        let (mut replies, mut joined) = (vec![], vec![]);
        for _ in 0..1_000 {
            let Some(chunk) = self.0.next_chunk() else {
                return replies;
            };
            let (header, payload) = chunk.split_first().expect("a chunk has a header");
            assert_eq!(
                usize::from(header & 0x7f),
                joined.len() / 19,
                "chunks in order"
            );
            joined.extend_from_slice(payload);
            if header & 0x80 != 0 {
                replies.push(parse(&joined));
                joined.clear();
            }
        }
        panic!("the device never stopped sending");
    }

    /// Sends `body` as request `seq` and returns the one reply.
    fn exchange(&mut self, seq: u16, body: &[u8]) -> Reply {
        self.write(&chunks(&message(seq, body)));
        let mut replies = self.replies();
        assert_eq!(replies.len(), 1, "one reply: {replies:?}");
        replies.remove(0)
    }
}

fn parse(message: &[u8]) -> Reply {
    let (payload, crc) = message.split_at(message.len() - 4);
    assert_eq!(crc32c(payload).to_le_bytes(), crc, "the reply's CRC");
    assert_eq!(payload[0], 2, "version 2");
    let (mut seq, mut shift, mut at) = (0u16, 0, 1);
    loop {
        let b = payload[at];
        seq |= u16::from(b & 0x7f) << shift;
        at += 1;
        shift += 7;
        if b & 0x80 == 0 {
            break;
        }
    }
    Reply {
        seq,
        body: payload[at..].to_vec(),
    }
}

/// Reply::Response(Response::Rejected(error)).
fn rejected(seq: u16, error: &[u8]) -> Reply {
    Reply {
        seq,
        body: [&[0, 2][..], error].concat(),
    }
}

/// LoadProgramSet (3) of one program from the field tables: E4 − and E5 + at 100 %,
/// tonic 50 Hz 200 µs, 2 mA, 20 µs gap, active recharge, range 0–6 mA, offset 0.
fn load_one_tonic_program() -> Vec<u8> {
    let mut body = vec![3, 0, 1]; // request 3, lead Percutaneous8, one program
    for slot in 0..17 {
        body.extend_from_slice(match slot {
            3 => &[2, 100], // cathode, 100 %
            4 => &[1, 100], // anode, 100 %
            _ => &[0, 0],
        });
    }
    body.extend_from_slice(&[0, 50]); // Tonic, 50 Hz
    varint(200, &mut body); // width
    varint(2_000, &mut body); // amplitude
    body.extend_from_slice(&[20, 0, 0]); // gap, Active, range min
    varint(6_000, &mut body); // range max
    body.extend_from_slice(&[0, 0, 0, 0]); // offset, no cycling, no soft start, no soft stop
    body
}

#[test]
fn the_documented_layout_drives_the_device() {
    let mut link = Link::new();
    // Identify → Identity: protocol 1, "0.1.0", Virtual, 17 slots.
    let identity = link.exchange(1, &[0]);
    assert_eq!(identity.seq, 1);
    assert_eq!(
        identity.body,
        [&[0, 3, 1, 5][..], b"0.1.0", &[0, 17]].concat()
    );
    // Start without a program → Refused(NoProgramSet).
    assert_eq!(
        link.exchange(2, &[4]),
        Reply {
            seq: 2,
            body: vec![0, 1, 1]
        }
    );
    // Load, start, and read the status.
    let done = |seq| Reply {
        seq,
        body: vec![0, 0],
    };
    assert_eq!(link.exchange(3, &load_one_tonic_program()), done(3));
    assert_eq!(link.exchange(4, &[4]), done(4));
    let status = link.exchange(300, &[1]);
    assert_eq!(status.seq, 300, "a two-byte seq (ac 02) comes back");
    // Response 4: Running, All, 1 program, 2 000 µA now (d0 0f) and three zeros.
    assert_eq!(
        status.body[..11],
        [0, 4, 2, 0, 1, 0xd0, 0x0f, 0, 0, 0, 0xd0]
    );
    // SetAmplitude { program: 5, 3 100 µA } → Refused(NoSuchProgram { 5, 1 }).
    assert_eq!(
        link.exchange(5, &[6, 5, 0x9c, 0x18]),
        Reply {
            seq: 5,
            body: vec![0, 1, 3, 5, 1]
        }
    );
}

#[test]
fn every_broken_request_is_answered_once_and_never_left_unanswered() {
    let mut link = Link::new();
    let start = message(7, &[4]);
    let long = message(8, &load_one_tonic_program());
    assert_eq!(chunks(&long).len(), 4);

    // Before the checksum verifies: answered with seq 0.
    let mut corrupted = start.clone();
    corrupted[2] ^= 1;
    link.write(&chunks(&corrupted));
    assert_eq!(link.replies(), [rejected(0, &[1])], "BadChecksum");
    link.write(&[vec![0x80, 1, 7, 4]]);
    assert_eq!(link.replies(), [rejected(0, &[0])], "Truncated");
    link.write(&[vec![]]);
    assert_eq!(link.replies(), [rejected(0, &[7])], "EmptyChunk");
    let mut gap = chunks(&long);
    gap.remove(2);
    link.write(&gap);
    assert_eq!(link.replies(), [rejected(0, &[6, 2, 3])], "OutOfOrder");
    // 1 100 bytes in 58 chunks: TooLong once, the rest of the message dropped quietly.
    let too_long: Vec<Vec<u8>> = (0..58u8)
        .map(|i| [&[i | if i == 57 { 0x80 } else { 0 }][..], &[0; 19]].concat())
        .collect();
    link.write(&too_long);
    assert_eq!(link.replies(), [rejected(0, &[5])], "TooLong");
    // 129 chunks of one byte, the index wrapping: a non-last chunk 127 is TooLong; the
    // wrapped chunk 0 starts a new message of its own (one byte: Truncated).
    let wrapping: Vec<Vec<u8>> = (0..129u32)
        .map(|i| vec![(i % 128) as u8 | if i == 128 { 0x80 } else { 0 }, 0])
        .collect();
    link.write(&wrapping);
    assert_eq!(
        link.replies(),
        [rejected(0, &[5]), rejected(0, &[0])],
        "129 chunks"
    );

    // After the checksum verifies: answered with the request's own seq.
    assert_eq!(link.exchange(9, &[99]), rejected(9, &[3]), "Unsupported");
    assert_eq!(link.exchange(10, &[4, 0]), rejected(10, &[4]), "Malformed");
    let mut v3 = start.clone();
    v3[0] = 3;
    let n = v3.len() - 4;
    let crc = crc32c(&v3[..n]);
    v3[n..].copy_from_slice(&crc.to_le_bytes());
    link.write(&chunks(&v3));
    assert_eq!(link.replies(), [rejected(7, &[2, 3, 2])], "UnknownVersion");

    // Nothing of it changed the device: Start still finds no program.
    assert_eq!(
        link.exchange(11, &[4]),
        Reply {
            seq: 11,
            body: vec![0, 1, 1]
        }
    );
}

#[test]
fn an_over_long_seq_is_read_as_the_page_says() {
    // Seq 1 padded to 81 80 00 (three bytes, the limit for a u16): accepted.
    let mut link = Link::new();
    let mut m = vec![2, 0x81, 0x80, 0x00, 4];
    let crc = crc32c(&m);
    m.extend_from_slice(&crc.to_le_bytes());
    link.write(&chunks(&m));
    assert_eq!(
        link.replies(),
        [Reply {
            seq: 1,
            body: vec![0, 1, 1]
        }]
    );
}
