using System.Text.Json.Serialization;

namespace EvGateway.Vehicles.Accounts;

[JsonConverter(typeof(JsonStringEnumConverter<AccountState>))]
public enum AccountState
{
    /// <summary>Logged in; the account's cars are served.</summary>
    [JsonStringEnumMemberName("connected")] Connected,

    /// <summary>The cloud asks for a code it sends the owner (Renault's emailed two-factor code).</summary>
    [JsonStringEnumMemberName("code_required")] CodeRequired,

    /// <summary>No account yet, or the stored login lapsed: the owner must log in.</summary>
    [JsonStringEnumMemberName("login_required")] LoginRequired,

    /// <summary>The cloud refused the login; it is not tried again until the owner gives a new one.</summary>
    [JsonStringEnumMemberName("credentials_rejected")] CredentialsRejected,

    /// <summary>The cloud cannot be reached or fails; the gateway tries again by itself.</summary>
    [JsonStringEnumMemberName("unavailable")] Unavailable,
}

public static class AccountStateNames
{
    /// <summary>The state as the REST surface writes it (code_required, ...), for pages and readiness to show the same word.</summary>
    public static string Of(AccountState state) => System.Text.Json.JsonSerializer.Serialize(state).Trim('"');
}
