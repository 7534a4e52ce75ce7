using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace EvGateway.Simulator.Psa;

/// <summary>
/// The codes the login page hands to the app's redirect (psa.md §1b): 36-character UUIDs that live
/// <see cref="PsaCloud.AuthorizationCodeLifetime"/> on the simulator's clock, are bound to the client, the redirect URI and the PKCE challenge
/// of their authorize request, and are spent by the first exchange attempt, right or wrong. Thread-safe.
/// </summary>
internal sealed class PsaAuthorizationCodes(TimeProvider time)
{
    private readonly object gate = new();
    private readonly Dictionary<string, IssuedCode> codes = new(StringComparer.Ordinal);

    /// <param name="codeChallenge">The S256 challenge, or null for a login without PKCE (which the server allows).</param>
    public string Issue(string clientId, string redirectUri, string? codeChallenge)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            foreach (var expired in codes.Where(c => c.Value.ExpiresAt <= now).Select(c => c.Key).ToList())
            {
                codes.Remove(expired);
            }

            var code = Guid.NewGuid().ToString();
            codes[code] = new IssuedCode(clientId, redirectUri, codeChallenge, now + PsaCloud.AuthorizationCodeLifetime);
            return code;
        }
    }

    /// <summary>True when the code may be exchanged for tokens by this client with these values.</summary>
    public bool Redeem(string? code, string clientId, string? redirectUri, string? codeVerifier)
    {
        IssuedCode? issued;
        lock (gate)
        {
            if (code is null || !codes.Remove(code, out issued))
            {
                return false;
            }
        }

        return time.GetUtcNow() < issued.ExpiresAt
               && issued.ClientId == clientId
               && issued.RedirectUri == redirectUri
               && (issued.CodeChallenge is null || (codeVerifier is not null && IsVerifier(codeVerifier)
                   && BearerTokenStore.SameSecret(Challenge(codeVerifier), issued.CodeChallenge)));
    }

    /// <summary>RFC 7636 §4.2: base64url of the verifier's SHA-256, without padding (43 characters).</summary>
    public static bool IsChallenge(string value) => value.Length == 43 && value.All(IsBase64UrlChar);

    private static string Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>RFC 7636 §4.1: 43 to 128 unreserved characters.</summary>
    private static bool IsVerifier(string value) =>
        value.Length is >= 43 and <= 128 && value.All(c => IsBase64UrlChar(c) || c is '.' or '~');

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private sealed record IssuedCode(string ClientId, string RedirectUri, string? CodeChallenge, DateTimeOffset ExpiresAt);
}
