"""The camera form check's video side: a clip decoded and its pose found in a worker process
under limits (`run.pose_series`), the landmarks handed to the pure analysis in `core/form.py`.

Nothing here touches the network: MediaPipe's pose model of complexity 1 is the one its wheel
ships (`pose_landmark_full.tflite`); the other complexities download at run time and are never
asked for.
"""
