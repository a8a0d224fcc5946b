//! Development certificates: a private CA and a server certificate it signs, so a district
//! office can run TLS without buying a certificate. Devices trust the CA with `balai init --ca`.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};

/// PEM files for a dev TLS setup.
#[derive(Clone)]
pub struct DevCerts {
    /// Give this to devices (`balai init --ca ca.pem`).
    pub ca_pem: String,
    /// The server's certificate and key (`balai-server --tls-cert … --tls-key …`).
    pub cert_pem: String,
    pub key_pem: String,
}

impl std::fmt::Debug for DevCerts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DevCerts(…)")
    }
}

/// Make a CA and a certificate for `hosts` (DNS names or IP addresses) signed by it.
pub fn self_signed(hosts: &[String]) -> Result<DevCerts, rcgen::Error> {
    let ca_key = KeyPair::generate()?;
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "Balai private CA");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca, &ca_key);

    let key = KeyPair::generate()?;
    let mut server = CertificateParams::new(hosts.to_vec())?;
    server.distinguished_name.push(
        DnType::CommonName,
        hosts.first().map_or("balai-server", String::as_str),
    );
    let cert = server.signed_by(&key, &issuer)?;
    Ok(DevCerts {
        ca_pem: ca_cert.pem(),
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    })
}
