using Microsoft.Extensions.Http;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// Counts the gateway's HTTP calls to the clouds that are in flight, retries and their pauses included (the counter
/// is the outermost handler of every client). A test on a fake clock asks it before moving the clock a long way: a
/// jump under a call in flight would cut it off at its timeout in no real time at all, which no network does.
/// </summary>
internal sealed class OutboundCalls : IHttpMessageHandlerBuilderFilter
{
    private int inFlight;

    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>
    /// Waits until no call has been in flight for a moment (at most 10 s): a gateway that just started logs in and
    /// reads its cars in the background, and a test moving the clock under those calls would cut them off.
    /// </summary>
    public async Task SettleAsync(CancellationToken cancellationToken)
    {
        var quiet = 0;
        for (var waited = 0; waited < 500 && quiet < 5; waited++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            quiet = InFlight == 0 ? quiet + 1 : 0;
        }
    }

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        builder.AdditionalHandlers.Insert(0, new Counter(this));
    };

    private sealed class Counter(OutboundCalls calls) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls.inFlight);
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref calls.inFlight);
            }
        }
    }
}
