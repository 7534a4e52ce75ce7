using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvGateway.Simulator.Renault;

/// <summary>
/// Issues and checks the id_token of accounts.getJWT: a real three-part JWT signed with HMAC-SHA256 and a secret
/// that only this simulator instance knows, so Kamereon can reject forged, tampered and expired tokens.
/// </summary>
internal sealed class GigyaJwt(TimeProvider time, TimeSpan lifetime)
{
    private static readonly string EncodedHeader = Base64Url(Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT","kid":"simulator"}"""));
    private readonly byte[] secret = RandomNumberGenerator.GetBytes(32);

    public string Issue(RenaultPerson person, string apiKey)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["iss"] = "https://fidm.gigya.com/jwt/" + apiKey + "/",
            ["apiKey"] = apiKey,
            ["sub"] = person.PersonId,
            ["iat"] = now,
            ["exp"] = now + (long)lifetime.TotalSeconds,
            ["data.personId"] = person.PersonId,
            ["data.gigyaDataCenter"] = person.GigyaDataCenter,
        };
        var unsigned = EncodedHeader + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return unsigned + "." + Base64Url(Sign(unsigned));
    }

    /// <summary>The personId of a token that is well formed, signed by us and not expired; null otherwise.</summary>
    public string? Validate(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || !TryDecode(parts[2], out var signature)
            || !CryptographicOperations.FixedTimeEquals(signature, Sign(parts[0] + "." + parts[1]))
            || !TryDecode(parts[1], out var payloadBytes))
        {
            return null;
        }

        try
        {
            using var payload = JsonDocument.Parse(payloadBytes);
            var root = payload.RootElement;
            var expired = !root.TryGetProperty("exp", out var exp) || exp.GetInt64() <= time.GetUtcNow().ToUnixTimeSeconds();
            return !expired && root.TryGetProperty("data.personId", out var personId) ? personId.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private byte[] Sign(string unsigned) => HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(unsigned));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - base64.Length % 4) % 4);
        bytes = new byte[base64.Length];
        if (Convert.TryFromBase64String(base64, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
