//! The wire between the parent and a worker: each message is a mark, a length and JSON.
//!
//! The mark makes a stray write on the channel (a library printing where it should not) a
//! garbage frame rather than a misread answer; the length lets either side read exactly one
//! message without scanning JSON for its end.

use std::io::{self, Read, Write};

/// Opens every frame; also the protocol's version.
const MARK: [u8; 4] = *b"PCW1";
const HEADER_BYTES: usize = MARK.len() + 4;

/// Why no frame could be read.
#[derive(Debug)]
pub(super) enum FrameError {
    /// The other side closed the channel between two frames.
    Closed,
    /// Bytes that are not a frame, or a frame cut short.
    Garbage(String),
    Io(io::Error),
}

pub(super) fn write_frame(out: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    let length = u32::try_from(payload.len()).map_err(|_| io::Error::other("a message over 4 GiB"))?;
    let mut header = [0u8; HEADER_BYTES];
    header[..MARK.len()].copy_from_slice(&MARK);
    header[MARK.len()..].copy_from_slice(&length.to_le_bytes());
    out.write_all(&header)?;
    out.write_all(payload)?;
    out.flush()
}

pub(super) fn read_frame(input: &mut impl Read) -> Result<Vec<u8>, FrameError> {
    let mut header = [0u8; HEADER_BYTES];
    let mut filled = 0;
    while filled < HEADER_BYTES {
        match input.read(&mut header[filled..]) {
            Ok(0) if filled == 0 => return Err(FrameError::Closed),
            Ok(0) => return Err(FrameError::Garbage(format!("a message cut short after {filled} bytes"))),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(FrameError::Io(e)),
        }
    }
    if header[..MARK.len()] != MARK {
        return Err(FrameError::Garbage(format!(
            "output that is not a message: {:?}",
            String::from_utf8_lossy(&header)
        )));
    }
    let mut length = [0u8; 4];
    length.copy_from_slice(&header[MARK.len()..]);
    let length = u64::from(u32::from_le_bytes(length));
    // Read as it arrives, never allocated up front: a length is only a claim until the bytes come.
    let mut payload = Vec::new();
    input.take(length).read_to_end(&mut payload).map_err(FrameError::Io)?;
    if payload.len() as u64 != length {
        return Err(FrameError::Garbage(format!(
            "a message cut short after {} of {length} bytes",
            payload.len()
        )));
    }
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_back_to_back() {
        let mut wire = Vec::new();
        write_frame(&mut wire, b"{\"a\":1}").unwrap();
        write_frame(&mut wire, b"").unwrap();
        let mut input = wire.as_slice();
        assert_eq!(read_frame(&mut input).unwrap(), b"{\"a\":1}");
        assert_eq!(read_frame(&mut input).unwrap(), b"");
        assert!(matches!(read_frame(&mut input), Err(FrameError::Closed)));
    }

    #[test]
    fn stray_output_and_cut_frames_are_garbage() {
        let mut stray = "Warning: Invalid resolution 0 dpi\n".as_bytes();
        assert!(matches!(read_frame(&mut stray), Err(FrameError::Garbage(_))));
        let mut wire = Vec::new();
        write_frame(&mut wire, b"0123456789").unwrap();
        wire.truncate(wire.len() - 3);
        assert!(matches!(read_frame(&mut wire.as_slice()), Err(FrameError::Garbage(m)) if m.contains("7 of 10")));
        assert!(matches!(read_frame(&mut &b"PCW"[..]), Err(FrameError::Garbage(_))));
    }

    #[test]
    fn a_huge_claimed_length_is_not_allocated() {
        let mut wire = MARK.to_vec();
        wire.extend_from_slice(&u32::MAX.to_le_bytes());
        wire.extend_from_slice(b"short");
        assert!(matches!(read_frame(&mut wire.as_slice()), Err(FrameError::Garbage(_))));
    }
}
