// A fixed pool of four threads runs eight tasks; the main thread waits for each result.
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public class Pool {
    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Long>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            final int k = i;
            results.add(pool.submit(() -> {
                long sum = 0;
                for (int j = 0; j < 2_000_000; j++) sum += (j ^ k) % 7;
                return sum;
            }));
        }
        long total = 0;
        for (Future<Long> f : results) total += f.get();
        pool.shutdown();
        System.out.println("total " + total);
    }
}
