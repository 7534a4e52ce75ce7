using EvGateway.Vehicles.Budget;

namespace EvGateway.Vehicles.Accounts;

/// <summary>A maker account's state as <c>GET /api/accounts</c> lists it (design.md, "Accounts and first login").</summary>
/// <param name="Maker">"Renault" or "Psa".</param>
/// <param name="State">Where the login stands.</param>
/// <param name="Detail">What the owner can do about it, in words (no secrets); null when there is nothing to say.</param>
/// <param name="Login">The masked login (o***@e***.org), or null.</param>
/// <param name="Configured">False while the owner has named no account for this maker (state login_required).</param>
/// <param name="RemoteCommands">PSA: whether remote commands are paired; null for makers without a pairing.</param>
public sealed record AccountStatus(string Maker, AccountState State, string? Detail, string? Login, bool Configured,
    RemoteCommandsState? RemoteCommands = null)
{
    /// <summary>The account's hourly cloud-call budget (null for a maker without one).</summary>
    public CallBudgetView? CallBudget { get; init; }

    /// <summary>True when an account the owner set up waits for them (a login, a code, a new password) before it serves cars.</summary>
    public bool NeedsOwner => Configured && State is AccountState.CodeRequired or AccountState.LoginRequired or AccountState.CredentialsRejected;
}
