//! Unguessable values from the operating system's random source: snapshot
//! ids and script nonces.

/// 128 random bits.
pub fn bits_128() -> Result<[u8; 16], getrandom::Error> {
    let mut bits = [0_u8; 16];
    getrandom::fill(&mut bits)?;
    Ok(bits)
}
