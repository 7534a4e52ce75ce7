using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EvGateway.Simulator.Psa;

/// <summary>
/// A certificate authority made up for one simulator run and the broker's certificate it signs, for
/// <c>localhost</c> and 127.0.0.1: the real broker presents a publicly trusted certificate, this one is trusted only by
/// a client told to trust <see cref="CaPem"/>, so a test proves the gateway validates the chain rather than accepting
/// any certificate.
/// </summary>
internal sealed class PsaBrokerCertificates : IDisposable
{
    private PsaBrokerCertificates(X509Certificate2 server, string caPem)
    {
        Server = server;
        CaPem = caPem;
    }

    /// <summary>The broker's certificate, with its private key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The authority's certificate (no key), PEM-encoded, for a client's trust setting.</summary>
    public string CaPem { get; }

    public static PsaBrokerCertificates Create(TimeProvider time)
    {
        var now = time.GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=EvGateway simulated PSA broker CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var signed = serverRequest.Create(ca, now.AddDays(-1), now.AddYears(1), RandomNumberGenerator.GetBytes(16));
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        // Through PKCS#12 so the key is one TLS can use on every platform, not only the ephemeral handle.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new PsaBrokerCertificates(server, ca.ExportCertificatePem());
    }

    public void Dispose() => Server.Dispose();
}
