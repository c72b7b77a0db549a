using System.Collections.Concurrent;
using System.Reflection;
using Amazon.S3;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>
/// A real S3 client whose calls are recorded by name and may have their request changed on the way (say, one part's
/// bytes flipped after its Content-MD5 was computed), so a test sees what the store asks of the server.
/// </summary>
public class InterceptedS3 : DispatchProxy
{
    private IAmazonS3 _inner = null!;
    private Action<string, object?[]?> _before = null!;

    public ConcurrentQueue<string> Calls { get; } = new();

    public static (IAmazonS3 Client, InterceptedS3 Interceptor) Wrap(IAmazonS3 inner, Action<string, object?[]?>? before = null)
    {
        var proxy = Create<IAmazonS3, InterceptedS3>();
        var interceptor = (InterceptedS3)(object)proxy;
        (interceptor._inner, interceptor._before) = (inner, before ?? ((_, _) => { }));
        return (proxy, interceptor);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        Calls.Enqueue(targetMethod!.Name);
        _before(targetMethod.Name, args);
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }
}
