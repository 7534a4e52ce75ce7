namespace EvGateway.Vehicles.Accounts;

/// <summary>
/// One maker's account as the owner sees it: where its login stands and what the owner can do about it. Each maker
/// implements this port; its own login steps (an emailed code, a browser login, a pairing) are routes it maps under
/// <c>/api/accounts/&lt;maker&gt;/</c> from its own folder (see <see cref="MakerAccountRoutes"/>).
/// </summary>
public interface IMakerAccount
{
    /// <summary>The adapter's name (see <see cref="IVehicleProvider.Maker"/>); the routes go under its lower-case form.</summary>
    string Maker { get; }

    /// <summary>Where the account stands now; never carries a secret.</summary>
    AccountStatus Status { get; }

    /// <summary>What the owner can do for this account now, in the order they would do it.</summary>
    IReadOnlyList<AccountStep> Steps { get; }

    /// <summary>
    /// Runs one of <see cref="Steps"/> with what the owner filled in. A refusal (a wrong code, a rejected password) is a
    /// result, not an exception; a cloud failure is a <see cref="GatewayException"/>.
    /// </summary>
    Task<AccountStepResult> RunStepAsync(string step, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken);

}
