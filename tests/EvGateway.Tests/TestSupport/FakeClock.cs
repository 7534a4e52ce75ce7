using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.TestSupport;

/// <summary>Waiting in tests whose gateway and clouds run on a FakeTimeProvider.</summary>
internal static class FakeClock
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Moves the clock in steps while <paramref name="call"/> waits on it (a retry pause, a timeout measured on the
    /// fake clock), resting <paramref name="pause"/> of real time between steps so an attempt in flight gets its answer
    /// before its own timeout passes; then returns what the call returned or threw.
    /// </summary>
    public static async Task<T> AdvanceUntilDoneAsync<T>(this FakeTimeProvider time, Task<T> call, TimeSpan step, TimeSpan pause)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(Patience);
        while (!call.IsCompleted)
        {
            time.Advance(step);
            await Task.WhenAny(call, Task.Delay(pause, bound.Token));
            bound.Token.ThrowIfCancellationRequested();
        }

        return await call;
    }

    /// <summary>Waits (bounded, in real time) for something the gateway or the simulator does on another thread.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, bound.Token);
        }
    }
}
