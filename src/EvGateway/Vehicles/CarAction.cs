namespace EvGateway.Vehicles;

/// <summary>
/// Endpoint metadata: this route acts on a car or its settings even though it may be a GET (the old bridge's routes
/// are), so the request log shows it beside the other changes rather than with the polled reads.
/// </summary>
/// <param name="Applies">When only some calls of the route act (a read-or-set route), which ones; null = every call.</param>
public sealed record CarAction(Func<HttpRequest, bool>? Applies = null)
{
    public bool IsActing(HttpRequest request) => Applies?.Invoke(request) ?? true;
}

public static class CarActionExtensions
{
    /// <summary>Marks the route as one that acts on a car (see <see cref="CarAction"/>).</summary>
    public static RouteHandlerBuilder ActsOnCar(this RouteHandlerBuilder route, Func<HttpRequest, bool>? applies = null) =>
        route.WithMetadata(new CarAction(applies));
}
