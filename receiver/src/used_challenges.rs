//! Access challenges in the database (migration 6): the receiver's audience, which its challenges carry, and
//! the challenges used, so that one serves once across restarts and across the receivers sharing the database,
//! with nothing kept in memory for an attacker to fill.

use crate::store::{is_taken, Store};
use consent_capture::jose::base64url;
use sqlx::Row;

/// How many access or erasure requests one device key may make in a day.
pub const REQUESTS_A_DAY: i64 = 100;

/// Why a challenge cannot be used.
#[derive(Debug)]
pub enum Unusable {
    /// It was used before.
    Used,
    /// The device key made [`REQUESTS_A_DAY`] requests in the last day.
    TooMany,
    /// The database failed.
    Database(sqlx::Error),
}

impl From<sqlx::Error> for Unusable {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(error)
    }
}

impl Store {
    /// The audience this database's receivers put in their challenges, made (128 random bits) on first use.
    ///
    /// # Errors
    /// The database fails, or the operating system gives no randomness.
    pub async fn audience(&self) -> Result<String, sqlx::Error> {
        let mut made = [0u8; 16];
        getrandom::fill(&mut made).map_err(|e| sqlx::Error::Protocol(format!("no randomness: {e}")))?;
        // Receivers starting together: the first one's stays.
        sqlx::query(
            "INSERT INTO receiver_settings (name, value) VALUES ('audience', $1) ON CONFLICT (name) DO NOTHING",
        )
        .bind(base64url::encode(&made))
        .execute(self.pool())
        .await?;
        let row = sqlx::query("SELECT value FROM receiver_settings WHERE name = 'audience'")
            .fetch_one(self.pool())
            .await?;
        row.try_get("value")
    }

    /// Notes the challenge `nonce` (serving until `expires_at`) as used by the device key `thumbprint` at `now`.
    ///
    /// # Errors
    /// It was used before, the key is at its daily cap, or the database fails.
    pub async fn use_challenge(
        &self,
        nonce: &str,
        thumbprint: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), Unusable> {
        sqlx::query("DELETE FROM used_challenges WHERE expires_at < $1")
            .bind(now - 86_400)
            .execute(self.pool())
            .await?;
        let today = sqlx::query(
            "SELECT COUNT(*) AS made FROM used_challenges WHERE device_thumbprint = $1 AND used_at > $2",
        )
        .bind(thumbprint)
        .bind(now - 86_400)
        .fetch_one(self.pool())
        .await?;
        if today.try_get::<i64, _>("made")? >= REQUESTS_A_DAY {
            return Err(Unusable::TooMany);
        }
        let noted = sqlx::query(
            "INSERT INTO used_challenges (nonce, device_thumbprint, used_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(nonce)
        .bind(thumbprint)
        .bind(now)
        .bind(expires_at)
        .execute(self.pool())
        .await;
        match noted {
            Ok(_) => Ok(()),
            Err(error) if is_taken(&error) => Err(Unusable::Used),
            Err(error) => Err(error.into()),
        }
    }
}
