namespace EvGateway.Vehicles.Accounts;

/// <summary>
/// One maker's account as the owner sees it: where its login stands and what the owner can do about it. Each maker
/// implements this port; its own login steps (an emailed code, a browser login, a pairing) are routes it maps under
/// <c>/api/accounts/&lt;maker&gt;/</c> from its own folder.
/// </summary>
public interface IMakerAccount
{
    /// <summary>The adapter's name (see <see cref="IVehicleProvider.Maker"/>); the routes go under its lower-case form.</summary>
    string Maker { get; }

    /// <summary>Where the account stands now; never carries a secret.</summary>
    AccountStatus Status { get; }

    /// <summary>Maps the maker's own login steps on <paramref name="account"/> (/api/accounts/&lt;maker&gt;).</summary>
    void MapRoutes(RouteGroupBuilder account);
}
