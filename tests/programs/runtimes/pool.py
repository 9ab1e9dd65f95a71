# A multiprocessing pool: worker processes, pipes and /dev/shm semaphores shared with them.
import multiprocessing


def square(x):
    return x * x


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print("sum of squares:", sum(pool.map(square, range(1000))))
