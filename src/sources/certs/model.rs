//! What a certificate store file holds, before the joins: certificates (with where they sit)
//! and revocation lists.

use crate::x509::{CertificateFacts, CrlFacts};

/// One certificate as found in a file.
#[derive(Debug, Clone)]
pub struct FoundCertificate {
    pub facts: CertificateFacts,
    /// 1-based line of its PEM block; `None` for DER, PKCS#7 and keystores.
    pub line: Option<u32>,
    /// Where in the container it sat (`entry NAME` of a keystore, `certificate 3 of 7`).
    pub position: String,
}

/// One revocation list as found in a file.
#[derive(Debug, Clone)]
pub struct FoundCrl {
    pub facts: CrlFacts,
    pub line: Option<u32>,
}

/// What the file's certificates are to whoever consumes the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// A trust bundle or trust store: every certificate in it is trusted by its consumers.
    TrustBundle,
    /// A chain presented by a server or client (leaf first, each issued by the next), or a single
    /// leaf certificate: its certificates are credentials, not trust anchors.
    Presented,
}

/// One parsed certificate-store file.
#[derive(Debug, Clone)]
pub struct CertsFile {
    pub certificates: Vec<FoundCertificate>,
    pub crls: Vec<FoundCrl>,
    pub container: Container,
    pub warnings: Vec<String>,
    /// A PKCS#12 file not opened yet: its key derivations wait for the scan's budget.
    pub pending: Option<super::pkcs12::Pending>,
}
