/** The partition-training thread (see PartitionTrainingThread): k-means to the end, off the event loop. */
import { serveTasks } from '../../common/worker-host';
import { runToEnd } from './kmeans';
import { partitionKMeans, PartitionTrainingTask } from './partition-training';

serveTasks(
  (task: PartitionTrainingTask) => runToEnd(partitionKMeans(task)),
  (centroids) => [(centroids as Float32Array).buffer as ArrayBuffer],
);
