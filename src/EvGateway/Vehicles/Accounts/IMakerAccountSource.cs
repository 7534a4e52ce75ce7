namespace EvGateway.Vehicles.Accounts;

/// <summary>
/// Accounts that come and go with another set of adapters (demo mode's, on the simulated clouds): the setup page
/// offers them apart from the owner's own, under <see cref="Title"/>, so the login steps can be tried without an account.
/// </summary>
public interface IMakerAccountSource
{
    string Title { get; }

    /// <summary>What to try there, in words; null for nothing.</summary>
    string? Hint { get; }

    IReadOnlyList<IMakerAccount> Accounts { get; }
}
