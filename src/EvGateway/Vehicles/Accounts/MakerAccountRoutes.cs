namespace EvGateway.Vehicles.Accounts;

/// <summary>
/// A maker's own account routes, mapped by the accounts feature under <c>/api/accounts/&lt;maker lower-case&gt;/</c>.
/// Registered as a plain instance so mapping the routes builds none of the maker's services: a wrong setting is then
/// reported when the gateway starts, in one line, not while the routes are mapped.
/// </summary>
/// <param name="Maker">The adapter's name (see <see cref="IVehicleProvider.Maker"/>).</param>
/// <param name="Map">Maps the routes on the maker's group; handlers take their services as parameters.</param>
public sealed record MakerAccountRoutes(string Maker, Action<RouteGroupBuilder> Map);
