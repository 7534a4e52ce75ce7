using System.Text.Json.Serialization;
using Refit;

namespace EvGateway.Manufacturers.Renault;

// The forms are classes, not records: a record's generated ToString would print the password or login token.

internal sealed class GigyaLoginForm(string apiKey, string loginId, string password)
{
    [AliasAs("ApiKey")] public string ApiKey { get; } = apiKey;
    [AliasAs("loginID")] public string LoginId { get; } = loginId;
    [AliasAs("password")] public string Password { get; } = password;
}

internal class GigyaSessionForm(string apiKey, string loginToken)
{
    [AliasAs("ApiKey")] public string ApiKey { get; } = apiKey;
    [AliasAs("login_token")] public string LoginToken { get; } = loginToken;
}

internal sealed class GigyaJwtForm(string apiKey, string loginToken, int expirationSeconds) : GigyaSessionForm(apiKey, loginToken)
{
    [AliasAs("fields")] public string Fields { get; } = "data.personId,data.gigyaDataCenter";
    [AliasAs("expiration")] public int Expiration { get; } = expirationSeconds;
}

internal class GigyaResponse
{
    public int ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public string? ErrorDetails { get; init; }
}

internal sealed class GigyaLoginResponse : GigyaResponse
{
    public GigyaSessionInfo? SessionInfo { get; init; }

    /// <summary>With 403101: the pending login the e-mailed code completes.</summary>
    public string? RegToken { get; init; }
}

internal sealed class GigyaSessionInfo
{
    public string? CookieValue { get; init; }

    /// <summary>With 403101: how long the regToken lives, in seconds (sent as a string).</summary>
    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; init; }
}

internal sealed class GigyaAccountInfoResponse : GigyaResponse
{
    public GigyaAccountData? Data { get; init; }
}

internal sealed record GigyaAccountData(string? PersonId, string? GigyaDataCenter);

internal sealed class GigyaJwtResponse : GigyaResponse
{
    [JsonPropertyName("id_token")]
    public string? IdToken { get; init; }
}

/// <summary>Gigya's errorCode values the gateway reacts to (renault.md §1).</summary>
internal static class GigyaErrorCodes
{
    public const int InvalidApiKey = 400093;
    public const int LoginTokenExpired = 403005;
    public const int LoginTokenUnverified = 403013;
    public const int InvalidLoginOrPassword = 403042;
    public const int TwoFactorPending = 403101;

    /// <summary>Also reported as "TFA required"; handled like 403101.</summary>
    public const int TwoFactorRequired = 403102;
}
