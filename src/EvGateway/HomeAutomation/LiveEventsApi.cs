using System.Text;
using EvGateway.Vehicles;
using Microsoft.AspNetCore.Http.Features;

namespace EvGateway.HomeAutomation;

/// <summary>GET /api/events and /api/vehicles/{vin}/events: server-sent events of new statuses, commands, charge control and accounts.</summary>
public static class LiveEventsApi
{
    /// <summary>
    /// How often an idle stream sends a comment line: proxies and browsers close connections that stay silent, and a
    /// write is how the server learns that a reader went away.
    /// </summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    private static readonly byte[] Heartbeat = Encoding.UTF8.GetBytes(": heartbeat\n\n");

    public static IEndpointRouteBuilder MapLiveEvents(this IEndpointRouteBuilder app)
    {
        const string description = "text/event-stream: `event: status` (data = the status JSON of GET /api/vehicles/{vin}/status) after every " +
                                   "new status, `event: command` after every remote command, `event: chargeControl` (data = GET /api/vehicles/{vin}/charge-control) " +
                                   "when a car's charge-control setting or last error changes, `event: account` (data = the account as GET " +
                                   "/api/accounts lists it, sent on every stream) when an account's state changes, and a comment line every 15 s. A reader that falls " +
                                   "behind loses its oldest events. Reading the stream never makes the gateway ask a cloud. Send " +
                                   "Accept: text/event-stream; any other request is answered 406.";
        app.MapGet("/api/events", StreamAllEvents).WithName(nameof(StreamAllEvents)).WithTags("Live data")
            .WithSummary("Live events of every car").WithDescription(description)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status406NotAcceptable);
        app.MapGet("/api/vehicles/{vin}/events", StreamCarEvents).WithName(nameof(StreamCarEvents)).WithTags("Live data")
            .WithSummary("Live events of one car").WithDescription(description)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status406NotAcceptable)
            .WithGatewayProblems();
        return app;
    }

    public static async Task StreamAllEvents(HttpContext context, LiveEvents events, TimeProvider time, IHostApplicationLifetime lifetime,
        CancellationToken cancellationToken)
    {
        if (await RefusedAsNotAStreamReader(context))
        {
            return;
        }

        await StreamAsync(context, events.Subscribe(null), time, lifetime, cancellationToken);
    }

    public static async Task StreamCarEvents(string vin, HttpContext context, LiveEvents events, VehicleDirectory directory,
        TimeProvider time, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        if (!Vin.IsValid(vin))
        {
            await Validation.Problem("vin", Vin.Rule).ExecuteAsync(context);
            return;
        }

        var entry = await directory.FindAsync(vin, cancellationToken);
        if (await RefusedAsNotAStreamReader(context))
        {
            return;
        }

        await StreamAsync(context, events.Subscribe(entry.Vehicle.Vin), time, lifetime, cancellationToken);
    }

    // The stream never ends: a client that did not ask for one (a plain GET that waits for the whole body) would hang
    // on it for good, so it gets a 406 that says how to ask. EventSource and `curl -N -H 'Accept: text/event-stream'` ask.
    private static async Task<bool> RefusedAsNotAStreamReader(HttpContext context)
    {
        if (context.Request.GetTypedHeaders().Accept.Any(accept => accept.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        await TypedResults.Problem(
            detail: "This route is a server-sent event stream that never ends: ask for it with the header Accept: text/event-stream " +
                    "(a browser's EventSource does; with curl: curl -N -H 'Accept: text/event-stream' ...).",
            statusCode: StatusCodes.Status406NotAcceptable,
            title: "Ask for text/event-stream",
            extensions: new Dictionary<string, object?> { ["code"] = "not_acceptable" }).ExecuteAsync(context);
        return true;
    }

    // A stream also ends when the gateway stops: an open dashboard would otherwise hold the shutdown for its whole grace period.
    private static async Task StreamAsync(HttpContext context, LiveEventReader reader, TimeProvider time, IHostApplicationLifetime lifetime,
        CancellationToken requestAborted)
    {
        using var _ = reader;
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        var cancellationToken = ending.Token;
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // Reverse proxies (nginx) would otherwise hold events back until a buffer fills.
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.FlushAsync(cancellationToken);

        var body = response.Body;
        try
        {
            var waiting = reader.Events.WaitToReadAsync(cancellationToken).AsTask();
            while (true)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var pause = Task.Delay(HeartbeatInterval, time, beat.Token);
                if (await Task.WhenAny(waiting, pause) == pause)
                {
                    await pause;
                    await body.WriteAsync(Heartbeat, cancellationToken);
                    await body.FlushAsync(cancellationToken);
                    continue;
                }

                await beat.CancelAsync();
                if (!await waiting)
                {
                    return;
                }

                while (reader.Events.TryRead(out var live))
                {
                    await body.WriteAsync(Encoding.UTF8.GetBytes($"event: {live.Name}\ndata: {live.Data}\n\n"), cancellationToken);
                }

                await body.FlushAsync(cancellationToken);
                waiting = reader.Events.WaitToReadAsync(cancellationToken).AsTask();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The reader went away or the gateway stops: the normal end of a stream.
        }
    }
}
