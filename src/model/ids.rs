//! Discord ids as types of their own where they cross the scheduler's port (the `port` module): a
//! channel id is not a message id, so a call that swaps the two does not compile.
//!
//! Each is the number Discord gives (a snowflake), printed as that number and kept in JSON as
//! one, so a claim written with a bare `u64` reads back unchanged.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! discord_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(u64);

        impl $name {
            pub const fn new(id: u64) -> $name {
                $name(id)
            }

            /// The number itself, for the database and the wire.
            pub const fn get(self) -> u64 {
                self.0
            }
        }

        impl From<u64> for $name {
            fn from(id: u64) -> $name {
                $name(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

discord_id!(
    /// A channel of a server.
    ChannelId
);
discord_id!(
    /// A message in a channel.
    MessageId
);
discord_id!(
    /// A role of a server.
    RoleId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_their_number_in_text_and_json() {
        let channel = ChannelId::new(10);
        assert_eq!(channel.to_string(), "10");
        assert_eq!(
            serde_json::to_string(&MessageId::new(7)).expect("json"),
            "7"
        );
        let role: RoleId = serde_json::from_str("5").expect("json");
        assert_eq!(role.get(), 5);
    }
}
