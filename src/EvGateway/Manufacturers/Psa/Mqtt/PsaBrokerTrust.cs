using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace EvGateway.Manufacturers.Psa.Mqtt;

/// <summary>
/// Judges the broker's TLS certificate: valid for the broker's host name and chained to an authority the system trusts
/// or to the one of <c>Psa:Mqtt:CaCertificateFile</c>. Nothing else passes: no setting accepts any certificate. The
/// last rejection is kept, in words, for the account's health.
/// </summary>
internal sealed class PsaBrokerTrust(X509Certificate2? extraAuthority)
{
    private volatile string? lastRejection;

    /// <summary>Why the last certificate was refused, or null when none was.</summary>
    public string? LastRejection => lastRejection;

    public static PsaBrokerTrust FromFile(string? caCertificateFile) =>
        new(string.IsNullOrWhiteSpace(caCertificateFile) ? null : Load(caCertificateFile));

    /// <summary>True when <paramref name="path"/> is a readable PEM file holding a certificate.</summary>
    public static bool CanLoad(string path)
    {
        using var certificate = Load(path);
        return certificate is not null;
    }

    /// <summary>For the MQTT client's TLS handshake.</summary>
    public bool Validate(MqttClientCertificateValidationEventArgs handshake) => Validate(handshake.Certificate, handshake.SslPolicyErrors);

    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        var trusted = errors == SslPolicyErrors.None
                      || (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && ChainsToExtraAuthority(certificate));
        lastRejection = trusted ? null : Describe(errors);
        return trusted;
    }

    /// <summary>True when the failure is a TLS handshake that ended on the certificate (or any other TLS refusal).</summary>
    public static bool IsHandshakeFailure(Exception? failure) => failure switch
    {
        null => false,
        AuthenticationException => true,
        _ => IsHandshakeFailure(failure.InnerException),
    };

    private bool ChainsToExtraAuthority(X509Certificate certificate)
    {
        if (extraAuthority is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(extraAuthority);
        // An authority of one's own publishes no revocation list; the system's authorities are checked by the handshake itself.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    private string Describe(SslPolicyErrors errors)
    {
        var reasons = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            reasons.Add("it presented none");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            reasons.Add("it was issued for another host name than Psa:Mqtt:Host");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            reasons.Add(extraAuthority is null
                ? "its authority is not trusted by this system (a broker of your own: name its authority in Psa:Mqtt:CaCertificateFile)"
                : "its authority is neither trusted by this system nor the one in Psa:Mqtt:CaCertificateFile");
        }

        return $"the remote-command broker's TLS certificate was refused: {string.Join("; ", reasons)}";
    }

    private static X509Certificate2? Load(string path)
    {
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }
}
